import type { Target } from '../domain/model.js';
import type { Fault, FaultContext } from './fault.js';
import { UnsupportedFaultError } from './fault.js';
import { injected, networkOf } from './support.js';

/**
 * Every container on a network loses it for `for`, then gets it back with the same address and
 * aliases: two nodes that share a switch fail together. The network itself is the one victim;
 * its members are read at injection time and recorded in the undo.
 */
export const switchOutage: Fault<'switch-outage'> = {
  kind: 'switch-outage',
  instant: false,
  victims: (fc) => [networkTarget(fc)],
  describe: (t) => `disconnect every container on Docker network ${t.id}; revert: reconnect each with the same IPv4 address and aliases`,
  async inject(t, fc, ctx) {
    const net = networkOf(fc.driver, 'switch-outage');
    if (!net.isolateNetwork) throw new UnsupportedFaultError(`the ${fc.driver.name} driver cannot cut a whole network`);
    const undo = await net.isolateNetwork(t.id, ctx);
    return injected(t, undo, (rctx) => net.restore(t, undo, rctx));
  },
  restore: (t, undo, driver, ctx) => networkOf(driver, 'switch-outage').restore(t, undo, ctx),
};

function networkTarget(fc: FaultContext<'switch-outage'>): Target {
  const network = fc.params.network;
  return { driver: fc.driver.name, group: `network:${network}`, id: network, name: `network ${network}`, meta: { kind: 'network' } };
}
