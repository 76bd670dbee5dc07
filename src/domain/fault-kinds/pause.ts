import { z } from 'zod';
import { defineFaultKind, target, targetVictims } from './define.js';

/** Freeze the target for `for`, then thaw it: what a long GC pause looks like from outside. */
export const pause = defineFaultKind({
  params: z.strictObject({ target }),
  example: { target: 'a' },
  instant: false,
  victims: targetVictims,
  describe: (t) => `pause ${t.name} (SIGSTOP / cgroup freezer); revert: resume it`,
});
