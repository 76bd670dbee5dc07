import { z } from 'zod';
import { NOTHING_TO_REVERT } from '../../fault-handler.js';
import { CONTAINER_STATE, NETNS, type DockerFaultHandler } from './handler.js';

/** A signal to the container's main process (or through the engine's kill). */
export const kill: DockerFaultHandler<'kill', null> = {
  touches: [CONTAINER_STATE, NETNS],
  undo: z.null(),
  example: () => null,
  async inject(t, { params }, ctx, d) {
    await d.lifecycle.kill(t, params.signal, ctx);
    return null;
  },
  revert: async () => NOTHING_TO_REVERT,
};
