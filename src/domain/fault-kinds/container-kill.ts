import { z } from 'zod';
import { Signal } from '../schema-helpers.js';
import { defineFaultKind, target, targetVictims } from './define.js';

/** Signal one container's main process; the kubelet restarts it per the pod's restartPolicy. */
export const containerKill = defineFaultKind({
  params: z.strictObject({ target, container: z.string().min(1), signal: Signal.default('SIGKILL') }),
  example: { target: 'a', container: 'app' },
  instant: true,
  victims: targetVictims,
  describe: (t, p) => `send ${p.signal} to container "${p.container}" of pod ${t.name} (from an ephemeral helper in its PID namespace); nothing to revert (the kubelet restarts it)`,
});
