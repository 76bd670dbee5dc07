import { z } from 'zod';
import { formatDuration } from '../../../domain/units.js';
import { PROCESS_GROUP, type ProcessFaultHandler } from './handler.js';

const Undo = z.object({ action: z.literal('unpause'), target: z.string().min(1) });

/** SIGSTOP to the service's process group; revert (or the watchdog at expiry) sends SIGCONT. */
export const pause: ProcessFaultHandler<'pause', z.output<typeof Undo>> = {
  touches: [PROCESS_GROUP],
  undo: Undo,
  example: (t) => ({ action: 'unpause', target: t.id }),
  async inject(t, _args, ctx, d) {
    await d.lifecycle.pause(t, ctx);
    return { action: 'unpause', target: t.id };
  },
  revert: (t, _undo, ctx, d) => d.lifecycle.unpause(t, ctx),
  watchdog(pid) {
    try {
      process.kill(-pid, 'SIGCONT');
    } catch {
      // gone: nothing to resume
    }
  },
  expiry: (ttl) => `the detached watchdog resumes it ${formatDuration(ttl)} after injection at the latest, or at once if faultline dies`,
};
