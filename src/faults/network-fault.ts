// Latency, bandwidth, loss, timeout and dns differ only in the impairment they hand the driver's
// network actions; this builds each of them from that one difference.
import type { FaultKind } from '../domain/experiment.js';
import type { Target } from '../domain/model.js';
import type { Impairment } from '../drivers/driver.js';
import type { Fault, FaultContext } from './fault.js';
import { injected, networkOf, targetVictims } from './support.js';

export function networkFault<K extends FaultKind>(kind: K, toImpairment: (fc: FaultContext<K>) => Impairment): Fault<K> {
  return {
    kind,
    instant: false,
    victims: targetVictims,
    describe: (t: Target, fc: FaultContext<K>) => `${networkOf(fc.driver, kind).describe(t, toImpairment(fc))}; revert: remove it`,
    async inject(t, fc, ctx) {
      const undo = await networkOf(fc.driver, kind).impair(t, toImpairment(fc), ctx);
      return injected(t, undo, (rctx) => networkOf(fc.driver, kind).restore(t, undo, rctx));
    },
    restore: (t, undo, driver, ctx) => networkOf(driver, kind).restore(t, undo, ctx),
  };
}
