import { z } from 'zod';
import { Duration } from '../schema-helpers.js';
import { d, defineFaultKind, target, targetVictims } from './define.js';

/**
 * Delete a pod through the API, with its own grace period or the one given. Instant: the
 * controller re-creating it is what is being tested.
 */
export const podDelete = defineFaultKind({
  params: z.strictObject({ target, gracePeriod: Duration.optional().meta(d("Grace period. Default: the pod's own.")) }),
  example: { target: 'a' },
  instant: true,
  victims: targetVictims,
  describe: (t, p) =>
    `delete pod ${t.name} (grace period ${p.gracePeriod === undefined ? "the pod's own" : `${p.gracePeriod / 1000}s`}); nothing to revert (its controller re-creates it)`,
});
