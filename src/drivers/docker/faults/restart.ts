import { z } from 'zod';
import { NOTHING_TO_REVERT } from '../../fault-handler.js';
import { CONTAINER_STATE, NETNS, type DockerFaultHandler } from './handler.js';

/** The engine's restart call. */
export const restart: DockerFaultHandler<'restart', null> = {
  touches: [CONTAINER_STATE, NETNS],
  undo: z.null(),
  example: () => null,
  async inject(t, { params }, ctx, d) {
    await d.lifecycle.restart(t, params.timeout, ctx);
    return null;
  },
  revert: async () => NOTHING_TO_REVERT,
};
