import { z } from 'zod';
import { Duration } from '../schema-helpers.js';
import { d, defineFaultKind, target, targetVictims } from './define.js';

/** Stop the target for `for`; on revert start it again unless `restore: false`. */
export const stop = defineFaultKind({
  params: z.strictObject({ target, timeout: Duration.default(10_000), restore: z.boolean().default(true).meta(d('Start the target again on revert. Default true.')) }),
  example: { target: 'a' },
  instant: false,
  victims: targetVictims,
  describe: (t, p) => `stop ${t.name} (grace ${p.timeout}ms); revert: ${p.restore ? 'start it again' : 'leave it stopped (restore: false)'}`,
});
