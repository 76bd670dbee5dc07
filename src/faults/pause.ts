import type { Fault } from './fault.js';
import { injected, lifecycleOf, targetVictims } from './support.js';

/** Freeze the target for `for`, then thaw it: what a long GC pause looks like from outside. */
export const pause: Fault<'pause'> = {
  kind: 'pause',
  instant: false,
  victims: targetVictims,
  describe: (t) => `pause ${t.name} (SIGSTOP / cgroup freezer); revert: resume it`,
  async inject(t, fc, ctx) {
    const life = lifecycleOf(fc.driver, 'pause');
    await life.pause(t, ctx);
    return injected(t, { action: 'unpause', target: t.id }, (rctx) => life.unpause(t, rctx));
  },
};
