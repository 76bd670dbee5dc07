import { z } from 'zod';
import { Signal } from '../schema-helpers.js';
import { d, defineFaultKind, target, targetVictims } from './define.js';

/** Send a signal. Instant: whatever restarts the target (supervisor, restart policy, controller) is what is being tested. */
export const kill = defineFaultKind({
  params: z.strictObject({ target, signal: Signal.default('SIGKILL').meta(d('Signal to send. Default SIGKILL.')) }),
  example: { target: 'a' },
  instant: true,
  victims: targetVictims,
  describe: (t, p) => `send ${p.signal} to ${t.name}; nothing to revert (recovery is up to its restart policy)`,
});
