import type { Fault } from './fault.js';
import { podsOf } from './pod-delete.js';
import { NOTHING_TO_REVERT, injected, targetVictims } from './support.js';

/** Delete a pod with grace period 0: its containers are killed at once, as a node crash would. */
export const podKill: Fault<'pod-kill'> = {
  kind: 'pod-kill',
  instant: true,
  victims: targetVictims,
  describe: (t) => `kill pod ${t.name} (delete, grace period 0); nothing to revert (its controller re-creates it)`,
  async inject(t, fc, ctx) {
    const r = await podsOf(fc.driver, 'pod-kill').delete(t, 0, ctx);
    if (r.vanished) ctx.log.warn(r.note ?? `pod ${t.name} vanished before the fault reached it`);
    return injected(t, r.vanished ? { vanished: true } : null, async () => (r.vanished ? { vanished: true } : NOTHING_TO_REVERT));
  },
  restore: async () => NOTHING_TO_REVERT,
};
