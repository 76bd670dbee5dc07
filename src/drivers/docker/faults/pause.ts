import { z } from 'zod';
import { pauseCalls } from '../holder.js';
import { CONTAINER_STATE, engineExpiry, type DockerFaultHandler } from './handler.js';

const Undo = z.object({ action: z.literal('unpause'), target: z.string().min(1) });

/** The cgroup freezer through the engine's pause call; an engine holder unpauses it at expiry. */
export const pause: DockerFaultHandler<'pause', z.output<typeof Undo>> = {
  touches: [CONTAINER_STATE],
  undo: Undo,
  example: (t) => ({ action: 'unpause', target: t.id }),
  holder: { image: 'engine', calls: (u) => pauseCalls(u.target) },
  async inject(t, _args, ctx, d, hold) {
    await d.lifecycle.pause(t, ctx, hold && { hold, calls: (u) => pauseCalls(u.target) });
    return { action: 'unpause', target: t.id };
  },
  revert: (t, _undo, ctx, d) => d.lifecycle.unpause(t, ctx),
  expiry: (ttl, d) => engineExpiry(d, ttl, 'unpauses it'),
};
