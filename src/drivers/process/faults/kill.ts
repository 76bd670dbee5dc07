import { z } from 'zod';
import { NOTHING_TO_REVERT } from '../../fault-handler.js';
import { PROCESS_GROUP, type ProcessFaultHandler } from './handler.js';

/** A signal to the service's process group; its supervisor's restart policy answers it. */
export const kill: ProcessFaultHandler<'kill', null> = {
  touches: [PROCESS_GROUP],
  undo: z.null(),
  example: () => null,
  async inject(t, { params }, ctx, d) {
    await d.lifecycle.kill(t, params.signal, ctx);
    return null;
  },
  revert: async () => NOTHING_TO_REVERT,
};
