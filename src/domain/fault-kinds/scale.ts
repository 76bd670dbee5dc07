import { z } from 'zod';
import { defineFaultKind } from './define.js';

/**
 * Scale a Deployment or StatefulSet to N replicas for `for`, then back to the count it had. The
 * workload itself is the one victim (the driver names it: it knows the default namespace).
 */
export const scale = defineFaultKind({
  params: z.strictObject({
    workload: z.strictObject({ kind: z.enum(['Deployment', 'StatefulSet']), name: z.string().min(1), namespace: z.string().min(1).optional() }),
    replicas: z.int().min(0),
  }),
  example: { workload: { kind: 'Deployment', name: 'web' }, replicas: 0 },
  instant: false,
  describe: (t, p) => `scale ${t.name} to ${p.replicas} replica(s); revert: scale it back to its original count`,
});
