import { z } from 'zod';
import { d, defineFaultKind } from './define.js';

/**
 * Every container on a network loses it for `for`, then gets it back with the same address and
 * aliases: two nodes that share a switch fail together. The network itself is the one victim;
 * its members are read at injection time and recorded in the undo.
 */
export const switchOutage = defineFaultKind({
  params: z.strictObject({ network: z.string().min(1).meta(d('Docker network whose members all lose it.')) }),
  example: { network: 'rack-1' },
  instant: false,
  victims: (p, _groups, driver) => [{ driver, group: `network:${p.network}`, id: p.network, name: `network ${p.network}`, meta: { kind: 'network' } }],
  describe: (t) => `disconnect every container on Docker network ${t.id}; revert: reconnect each with the same IPv4 address and aliases`,
});
