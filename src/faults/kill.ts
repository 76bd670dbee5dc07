import type { Fault } from './fault.js';
import { NOTHING_TO_REVERT, injected, lifecycleOf, targetVictims } from './support.js';

/** Send a signal. Instant: whatever restarts the target (supervisor, restart policy, controller) is what is being tested. */
export const kill: Fault<'kill'> = {
  kind: 'kill',
  instant: true,
  victims: targetVictims,
  describe: (t, fc) => `send ${fc.params.signal} to ${t.name}; nothing to revert (recovery is up to its restart policy)`,
  async inject(t, fc, ctx) {
    await lifecycleOf(fc.driver, 'kill').kill(t, fc.params.signal, ctx);
    return injected(t, null, async () => NOTHING_TO_REVERT);
  },
  restore: async () => NOTHING_TO_REVERT,
};
