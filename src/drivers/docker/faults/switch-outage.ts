import { z } from 'zod';
import type { JsonValue } from '../../../domain/model.js';
import { reconnectCalls } from '../holder.js';
import { engineExpiry, type DockerFaultHandler } from './handler.js';

const Undo = z.object({
  mechanism: z.literal('switch-outage'),
  network: z.string(),
  networkId: z.string(),
  members: z.array(z.object({ id: z.string(), name: z.string(), ip: z.string(), aliases: z.array(z.string()) })),
  holders: z.array(z.string()).optional(),
});

/** Disconnects every member through the engine; an engine holder reconnects them at expiry. */
export const switchOutage: DockerFaultHandler<'switch-outage', z.output<typeof Undo>> = {
  touches: ['network membership'],
  undo: Undo,
  example: (t) => ({ mechanism: 'switch-outage', network: t.id, networkId: t.id, members: [{ id: 'c1', name: 'node-1', ip: '10.0.0.2', aliases: ['node-1'] }] }),
  holder: { image: 'engine', calls: reconnectCalls },
  inject: (t, _args, ctx, d, hold) => d.network.isolateNetwork(t.id, ctx, hold && { hold, calls: reconnectCalls }),
  revert: (t, undo, ctx, d) => d.network.revert(t, undo as unknown as JsonValue, ctx),
  expiry: (ttl, d) => engineExpiry(d, ttl, 'reconnects every member with its address and aliases'),
};
