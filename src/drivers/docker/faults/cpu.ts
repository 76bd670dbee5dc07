import { z } from 'zod';
import type { JsonValue } from '../../../domain/model.js';
import { cpuCalls } from '../holder.js';
import { engineExpiry, type DockerFaultHandler } from './handler.js';

const Undo = z.object({
  mechanism: z.literal('cpu'),
  container: z.string().min(1),
  nanoCpus: z.number(),
  cpuQuota: z.number(),
  cpuPeriod: z.number(),
  holders: z.array(z.string()).optional(),
});

/** A CFS quota through the engine's update call; an engine holder restores the original limits at expiry. */
export const cpu: DockerFaultHandler<'cpu', z.output<typeof Undo>> = {
  touches: ['CPU limits'],
  undo: Undo,
  example: (t) => ({ mechanism: 'cpu', container: t.id, nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0 }),
  holder: { image: 'engine', calls: cpuCalls },
  inject: (t, { params }, ctx, d, hold) => d.lifecycle.limitCpu(t, params.cpus, ctx, hold && { hold, calls: cpuCalls }),
  revert: (t, undo, ctx, d) => d.lifecycle.restoreCpu(t, undo as unknown as JsonValue, ctx),
  expiry: (ttl, d) => engineExpiry(d, ttl, 'restores its original CPU limits'),
};
