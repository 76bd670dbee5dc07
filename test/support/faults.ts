// Driving one fault kind of a real driver the way the engine does (src/engine/resolve-fault.ts and
// injected.ts), for tests that inject and revert a single fault without a whole run.
import type { RunContext } from '../../src/domain/context.js';
import type { FaultKind, FaultParams, FaultSpec } from '../../src/domain/experiment.js';
import type { Target } from '../../src/domain/model.js';
import type { Driver, Hold, RevertResult } from '../../src/drivers/driver.js';
import { faultOf as handlerOf } from '../../src/drivers/fault-handler.js';
import { injected, type Injected } from '../../src/engine/injected.js';
import { resolveFault } from '../../src/engine/resolve-fault.js';
import type { JsonValue } from '../../src/domain/model.js';

export interface FaultContext<K extends FaultKind> {
  params: FaultParams<K>;
  driver: Driver;
  groups: ReadonlyMap<string, Target[]>;
}

function resolved<K extends FaultKind>(kind: K, fc: FaultContext<K>) {
  return resolveFault({ [kind]: fc.params, at: 0 } as unknown as FaultSpec, fc.driver, fc.groups);
}

export function faultOf<K extends FaultKind>(kind: K) {
  return {
    victims: (fc: FaultContext<K>): Target[] => resolved(kind, fc).victims(),
    describe: (t: Target, fc: FaultContext<K>): string => resolved(kind, fc).describe(t),
    async inject(t: Target, fc: FaultContext<K>, ctx: RunContext, hold?: Hold): Promise<Injected> {
      const f = resolved(kind, fc);
      const h = f.handler();
      return injected(h, t, await h.inject(t, f.args, ctx, hold));
    },
    /** Rollback's replay: the handler's revert from an undo record alone. */
    revert: (t: Target, undo: JsonValue, driver: Driver, ctx: RunContext): Promise<RevertResult> => handlerOf(driver.faults, driver.name, kind).revert(t, undo, ctx),
  };
}

/** What `plan` says about a held fault of `kind` if faultline dies first. */
export function expiryOf(driver: Driver, kind: FaultKind, ttlMs: number): string {
  const e = handlerOf(driver.faults, driver.name, kind).expiry;
  if (!e) throw new Error(`the ${driver.name} driver's ${kind} handler declares no expiry`);
  return e(ttlMs);
}

/** A hold as the engine passes it with a held fault. */
export function holdFor(kind: FaultKind, forMs: number): Hold {
  return { fault: `${kind}-0`, kind, expiresAt: Date.now() + forMs };
}
