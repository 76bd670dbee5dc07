import type { Driver, PodActions } from '../drivers/driver.js';
import { UnsupportedFaultError, type Fault } from './fault.js';
import { NOTHING_TO_REVERT, injected, targetVictims } from './support.js';

export function podsOf(driver: Driver, kind: string): PodActions {
  if (!driver.pods) throw new UnsupportedFaultError(`the ${driver.name} driver cannot ${kind} (Kubernetes only)`);
  return driver.pods;
}

/**
 * Delete a pod through the API, with its own grace period or the one given. Instant: the
 * controller re-creating it is what is being tested. A pod gone before the fault reached it is
 * recorded as vanished, and its revert is a no-op.
 */
export const podDelete: Fault<'pod-delete'> = {
  kind: 'pod-delete',
  instant: true,
  victims: targetVictims,
  describe: (t, fc) =>
    `delete pod ${t.name} (grace period ${fc.params.gracePeriod === undefined ? "the pod's own" : `${fc.params.gracePeriod / 1000}s`}); nothing to revert (its controller re-creates it)`,
  async inject(t, fc, ctx) {
    const r = await podsOf(fc.driver, 'pod-delete').delete(t, fc.params.gracePeriod, ctx);
    if (r.vanished) ctx.log.warn(r.note ?? `pod ${t.name} vanished before the fault reached it`);
    return injected(t, r.vanished ? { vanished: true } : null, async () => (r.vanished ? { vanished: true } : NOTHING_TO_REVERT));
  },
  restore: async () => NOTHING_TO_REVERT,
};
