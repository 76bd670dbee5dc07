import type { Driver, WorkloadActions } from '../drivers/driver.js';
import { UnsupportedFaultError, type Fault } from './fault.js';
import { injected } from './support.js';

function workloadsOf(driver: Driver): WorkloadActions {
  if (!driver.workloads) throw new UnsupportedFaultError(`the ${driver.name} driver cannot scale workloads (Kubernetes only)`);
  return driver.workloads;
}

/**
 * Scale a Deployment or StatefulSet to N replicas for `for`, then back to the count it had. The
 * workload itself is the one victim; the undo record keeps the original count.
 */
export const scale: Fault<'scale'> = {
  kind: 'scale',
  instant: false,
  victims: (fc) => [workloadsOf(fc.driver).target(fc.params.workload)],
  describe: (t, fc) => `scale ${t.name} to ${fc.params.replicas} replica(s); revert: scale it back to its original count`,
  async inject(t, fc, ctx) {
    const w = workloadsOf(fc.driver);
    const undo = await w.scale(fc.params.workload, fc.params.replicas, ctx);
    return injected(t, undo, (rctx) => w.restore(undo, rctx));
  },
  restore: (_t, undo, driver, ctx) => workloadsOf(driver).restore(undo, ctx),
};
