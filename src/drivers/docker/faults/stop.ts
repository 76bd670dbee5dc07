import { z } from 'zod';
import { startCalls } from '../holder.js';
import { CONTAINER_STATE, NETNS, engineExpiry, type DockerFaultHandler } from './handler.js';

const Undo = z.object({ action: z.enum(['start', 'none']), target: z.string().min(1) });
type Undo = z.output<typeof Undo>;

/** The engine's stop call; revert starts it again, unless `restore: false` (then no holder either). */
export const stop: DockerFaultHandler<'stop', Undo> = {
  touches: [CONTAINER_STATE, NETNS],
  undo: Undo,
  example: (t) => ({ action: 'start', target: t.id }),
  holder: { image: 'engine', calls: (u) => (u.action === 'start' ? startCalls(u.target) : []) },
  async inject(t, { params }, ctx, d, hold) {
    // `restore: false` means the container is meant to stay stopped: nothing to expire.
    await d.lifecycle.stop(t, params.timeout, ctx, hold && params.restore ? { hold, calls: (u) => startCalls(u.target) } : undefined);
    return { action: params.restore ? 'start' : 'none', target: t.id };
  },
  async revert(t, undo, ctx, d) {
    if (undo.action !== 'start') return { note: 'left stopped as the fault asked (restore: false)' };
    return d.lifecycle.start(t, ctx);
  },
  expiry: (ttl, d) => engineExpiry(d, ttl, 'starts it again (with `restore: false` it is meant to stay stopped: no holder)'),
};
