import { z } from 'zod';
import { Duration } from '../schema-helpers.js';
import { d, defineFaultKind, target, targetVictims } from './define.js';

/** Graceful stop followed by a start: a deploy or a host reboot, as the target sees it. Instant. */
export const restart = defineFaultKind({
  params: z.strictObject({ target, timeout: Duration.default(10_000).meta(d('Grace period before the restart is forced. Default 10s.')) }),
  example: { target: 'a' },
  instant: true,
  victims: targetVictims,
  describe: (t, p) => `restart ${t.name} (grace ${p.timeout}ms before it is forced); nothing to revert`,
});
