import { z } from 'zod';
import { NOTHING_TO_REVERT } from '../../fault-handler.js';
import { PROCESS_GROUP, type ProcessFaultHandler } from './handler.js';

/** SIGTERM, SIGKILL after the grace period, then a new start by the supervisor. */
export const restart: ProcessFaultHandler<'restart', null> = {
  touches: [PROCESS_GROUP],
  undo: z.null(),
  example: () => null,
  async inject(t, { params }, ctx, d) {
    await d.lifecycle.restart(t, params.timeout, ctx);
    return null;
  },
  revert: async () => NOTHING_TO_REVERT,
};
