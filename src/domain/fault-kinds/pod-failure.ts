import { z } from 'zod';
import { d, defineFaultKind, target, targetVictims } from './define.js';

/** Chaos Mesh's pause image for pod-failure (controllers/chaosimpl/podchaos/podfailure): it runs and serves nothing. */
export const DEFAULT_PAUSE_IMAGE = 'gcr.io/google-containers/pause:latest';

/**
 * Make a pod's containers unavailable for `for` without deleting the pod, as Chaos Mesh's
 * pod-failure does: each container's image is replaced by a pause image (the kubelet restarts it
 * running nothing), and the original images are put back on revert. The pod keeps its name, uid,
 * IP and node, so what is tested is the service without that replica, not a reschedule.
 */
export const podFailure = defineFaultKind({
  params: z.strictObject({
    target,
    image: z
      .string()
      .min(1)
      .optional()
      .meta(d(`The image each container runs during the fault: one that starts and serves nothing. Default: ${DEFAULT_PAUSE_IMAGE} (Chaos Mesh's); registry.k8s.io/pause:3.10 is the maintained one.`)),
  }),
  example: { target: 'a' },
  instant: false,
  victims: targetVictims,
  describe: (t, p) => `replace the image of every container of pod ${t.name} by ${p.image ?? DEFAULT_PAUSE_IMAGE} (the pod stays, its containers serve nothing); revert: put the original images back`,
});
