import type { Fault } from './fault.js';
import { injected, lifecycleOf, targetVictims } from './support.js';

/** Freeze the target for `for`, then thaw it: what a long GC pause looks like from outside. */
export const pause: Fault<'pause'> = {
  kind: 'pause',
  instant: false,
  victims: targetVictims,
  describe: (t) => `pause ${t.name} (SIGSTOP / cgroup freezer); revert: resume it`,
  async inject(t, fc, ctx) {
    await lifecycleOf(fc.driver, 'pause').pause(t, ctx);
    const undo = { action: 'unpause', target: t.id };
    return injected(t, undo, (rctx) => pause.restore(t, undo, fc.driver, rctx));
  },
  restore: (t, _undo, driver, ctx) => lifecycleOf(driver, 'pause').unpause(t, ctx),
};
