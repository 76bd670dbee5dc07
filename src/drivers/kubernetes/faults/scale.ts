import { z } from 'zod';
import type { JsonValue } from '../../../domain/model.js';
import type { KubernetesFaultHandler } from './handler.js';

const Undo = z.object({ kind: z.enum(['Deployment', 'StatefulSet']), namespace: z.string(), name: z.string(), replicas: z.int().min(0) });

/** The scale subresource; the undo keeps the original count. The workload itself is the victim. */
export const scale: KubernetesFaultHandler<'scale', z.output<typeof Undo>> = {
  touches: ['replica count'],
  undo: Undo,
  example: () => ({ kind: 'Deployment', namespace: 'default', name: 'web', replicas: 3 }),
  victims: ({ params }, d) => [d.workloads.target(params.workload)],
  inject: async (_t, { params }, ctx, d) => Undo.parse(await d.workloads.scale(params.workload, params.replicas, ctx)),
  revert: (_t, undo, ctx, d) => d.workloads.revert(undo as unknown as JsonValue, ctx),
  expiry: () => 'the workload keeps the new replica count until `faultline rollback` scales it back (the original count is in the ledger)',
};
