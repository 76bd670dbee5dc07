// The undo record of pod-failure: plain zod, so the fault registry loads without the Kubernetes client.
import { z } from 'zod';

export const PodFailureUndo = z.object({
  namespace: z.string(),
  pod: z.string(),
  uid: z.string(),
  runId: z.string(),
  /** The pause image the containers were switched to. */
  image: z.string(),
  /** Container name -> its image before the fault. */
  images: z.record(z.string(), z.string()),
});
export type PodFailureUndo = z.output<typeof PodFailureUndo>;

