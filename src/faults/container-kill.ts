import type { Fault } from './fault.js';
import { podsOf } from './pod-delete.js';
import { NOTHING_TO_REVERT, injected, targetVictims } from './support.js';

/** Signal one container's main process; the kubelet restarts it per the pod's restartPolicy. */
export const containerKill: Fault<'container-kill'> = {
  kind: 'container-kill',
  instant: true,
  victims: targetVictims,
  describe: (t, fc) => `send ${fc.params.signal} to container "${fc.params.container}" of pod ${t.name} (from an ephemeral helper in its PID namespace); nothing to revert (the kubelet restarts it)`,
  async inject(t, fc, ctx) {
    const r = await podsOf(fc.driver, 'container-kill').killContainer(t, fc.params.container, fc.params.signal, ctx);
    if (r.vanished) ctx.log.warn(r.note ?? `pod ${t.name} vanished before the fault reached it`);
    return injected(t, r.vanished ? { vanished: true } : null, async () => (r.vanished ? { vanished: true } : NOTHING_TO_REVERT));
  },
  restore: async () => NOTHING_TO_REVERT,
};
