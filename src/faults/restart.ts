import type { Fault } from './fault.js';
import { NOTHING_TO_REVERT, injected, lifecycleOf, targetVictims } from './support.js';

/** Graceful stop followed by a start: a deploy or a host reboot, as the target sees it. Instant. */
export const restart: Fault<'restart'> = {
  kind: 'restart',
  instant: true,
  victims: targetVictims,
  describe: (t, fc) => `restart ${t.name} (grace ${fc.params.timeout}ms before it is forced); nothing to revert`,
  async inject(t, fc, ctx) {
    await lifecycleOf(fc.driver, 'restart').restart(t, fc.params.timeout, ctx);
    return injected(t, null, async () => NOTHING_TO_REVERT);
  },
  restore: async () => NOTHING_TO_REVERT,
};
