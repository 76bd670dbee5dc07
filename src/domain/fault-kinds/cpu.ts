import { z } from 'zod';
import { d, defineFaultKind, target, targetVictims } from './define.js';

/** Cap the target at `cpus` cores for `for` (a noisy neighbour, a throttled VM); revert restores the original limits. */
export const cpu = defineFaultKind({
  params: z.strictObject({ target, cpus: z.number().positive().meta(d('CPU limit in cores, e.g. 0.1.')) }),
  example: { target: 'a', cpus: 0.5 },
  instant: false,
  victims: targetVictims,
  describe: (t, p) => `limit ${t.name} to ${p.cpus} CPU (CFS quota via the engine's update call); revert: restore its original quota`,
});
