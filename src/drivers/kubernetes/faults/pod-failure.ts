import { z } from 'zod';
import { DEFAULT_PAUSE_IMAGE } from '../../../domain/fault-kinds/pod-failure.js';
import { POD_FAILURE } from '../labels.js';
import { PodFailureUndo } from '../pod-failure-undo.js';
import { CLUSTER_OBJECT_EXPIRY_MARGIN_MS, POD_CONTAINERS, type KubernetesFaultHandler } from './handler.js';

/** The original images, or the pod was gone before the fault reached it. */
const Undo = z.union([PodFailureUndo, z.object({ vanished: z.literal(true) })]);
type Undo = z.output<typeof Undo>;

export const podFailure: KubernetesFaultHandler<'pod-failure', Undo> = {
  // A second pod-failure, or a kill of a container running the pause image, would act on the same images.
  touches: [`${POD_CONTAINERS}/images`],
  undo: Undo,
  example: (t) => ({ namespace: 'default', pod: t.name, uid: 'uid-1', runId: 'run-1', image: DEFAULT_PAUSE_IMAGE, images: { app: 'registry.example/app:1.0' } }),
  inject: async (t, { params }, ctx, d) => {
    const r = await d.failPod(t, params.image ?? DEFAULT_PAUSE_IMAGE, ctx);
    if ('images' in r) return r;
    ctx.log.warn(r.note ?? `pod ${t.name} vanished before the fault reached it`);
    return { vanished: true };
  },
  revert: async (_t, undo, _ctx, d) => ('vanished' in undo ? { vanished: true } : d.restorePod(undo)),
  expiry: () =>
    `the pod keeps the pause image until reverted: its original images are in its ${POD_FAILURE} annotation with an expiry (the end of the experiment's timeline plus ${CLUSTER_OBJECT_EXPIRY_MARGIN_MS / 60_000}m), after which \`faultline reap\` (the reap CronJob, or the next faultline run in its namespace) puts them back; \`faultline rollback\` does it at any time`,
};
