import type { Fault } from './fault.js';
import { injected, lifecycleOf, targetVictims } from './support.js';

/** Stop the target for `for`; on revert start it again unless `restore: false`. */
export const stop: Fault<'stop'> = {
  kind: 'stop',
  instant: false,
  victims: targetVictims,
  describe: (t, fc) => `stop ${t.name} (grace ${fc.params.timeout}ms); revert: ${fc.params.restore ? 'start it again' : 'leave it stopped (restore: false)'}`,
  async inject(t, fc, ctx) {
    const life = lifecycleOf(fc.driver, 'stop');
    if (!life.stop || !life.start) throw new Error(`the ${fc.driver.name} driver cannot stop targets`);
    await life.stop(t, fc.params.timeout, ctx);
    const undo = { action: fc.params.restore ? 'start' : 'none', target: t.id };
    return injected(t, undo, (rctx) => stop.restore(t, undo, fc.driver, rctx));
  },
  async restore(t, undo, driver, ctx) {
    if ((undo as { action?: string } | null)?.action !== 'start') return { note: 'left stopped as the fault asked (restore: false)' };
    const life = lifecycleOf(driver, 'stop');
    if (!life.start) throw new Error(`the ${driver.name} driver cannot start targets`);
    return life.start(t, ctx);
  },
};
