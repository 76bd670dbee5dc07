import type { Fault } from './fault.js';
import { UnsupportedFaultError } from './fault.js';
import { injected, lifecycleOf, targetVictims } from './support.js';

/** Cap the target at `cpus` cores for `for` (a noisy neighbour, a throttled VM); revert restores the original limits. */
export const cpu: Fault<'cpu'> = {
  kind: 'cpu',
  instant: false,
  victims: targetVictims,
  describe: (t, fc) => `limit ${t.name} to ${fc.params.cpus} CPU (CFS quota via the engine's update call); revert: restore its original quota`,
  async inject(t, fc, ctx) {
    const life = lifecycleOf(fc.driver, 'cpu');
    if (!life.limitCpu || !life.restoreCpu) throw new UnsupportedFaultError(`the ${fc.driver.name} driver cannot limit CPU`);
    const undo = await life.limitCpu(t, fc.params.cpus, ctx);
    const restore = life.restoreCpu.bind(life);
    return injected(t, undo, (rctx) => restore(t, undo, rctx));
  },
  async restore(t, undo, driver, ctx) {
    const life = lifecycleOf(driver, 'cpu');
    if (!life.restoreCpu) throw new UnsupportedFaultError(`the ${driver.name} driver cannot restore CPU limits`);
    return life.restoreCpu(t, undo, ctx);
  },
};
