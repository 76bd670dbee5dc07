import type { Fault } from './fault.js';
import { injected, networkOf } from './support.js';

/**
 * Cut traffic between two groups. The fault acts on each member of `from` in turn, with the whole
 * `to` group as its peers, so one victim's rules can be undone without touching another's.
 */
export const partition: Fault<'partition'> = {
  kind: 'partition',
  instant: false,
  victims: (fc) => [...(fc.groups.get(fc.params.from) ?? [])],
  describe: (t, fc) => {
    const peers = (fc.groups.get(fc.params.to) ?? []).map((p) => p.name).join(', ');
    const arrow = { to: '->', from: '<-', both: '<->' }[fc.params.direction];
    return `partition ${t.name} ${arrow} ${peers}; revert: heal it`;
  },
  async inject(t, fc, ctx) {
    const net = networkOf(fc.driver, 'partition');
    const peers = [...(fc.groups.get(fc.params.to) ?? [])];
    const undo = await net.partition(t, peers, fc.params.direction, ctx);
    return injected(t, undo, (rctx) => net.restore(t, undo, rctx));
  },
  restore: (t, undo, driver, ctx) => networkOf(driver, 'partition').restore(t, undo, ctx),
};
