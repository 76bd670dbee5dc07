import { z } from 'zod';
import { defineFaultKind, target, targetVictims } from './define.js';

/** Delete a pod with grace period 0: its containers are killed at once, as a node crash would. */
export const podKill = defineFaultKind({
  params: z.strictObject({ target }),
  example: { target: 'a' },
  instant: true,
  victims: targetVictims,
  describe: (t) => `kill pod ${t.name} (delete, grace period 0); nothing to revert (its controller re-creates it)`,
});
