import { z } from 'zod';
import { d, defineFaultKind, group } from './define.js';

/**
 * Cut traffic between two groups. The fault acts on each member of `from` in turn, with the whole
 * `to` group as its peers, so one victim's rules can be undone without touching another's.
 */
export const partition = defineFaultKind({
  params: z.strictObject({
    from: group,
    to: group,
    direction: z.enum(['to', 'from', 'both']).default('both').meta(d('"to": traffic from `from` to `to` is cut; "from": the reverse; "both" (default).')),
  }),
  example: { from: 'a', to: 'b' },
  instant: false,
  victims: (p, groups) => [...(groups.get(p.from) ?? [])],
  describe: (t, p, groups) => {
    const peers = (groups.get(p.to) ?? []).map((x) => x.name).join(', ');
    const arrow = { to: '->', from: '<-', both: '<->' }[p.direction];
    return `partition ${t.name} ${arrow} ${peers}; revert: remove the partition`;
  },
});
