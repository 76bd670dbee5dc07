// Small pieces every fault file shares: finding the driver capability it needs, and making a
// revert idempotent (the engine, a signal handler and the ledger may all ask for it).
import type { RunContext } from '../domain/context.js';
import type { FaultKind } from '../domain/experiment.js';
import type { JsonValue, Target } from '../domain/model.js';
import type { Driver, LifecycleActions, NetworkActions, RevertResult } from '../drivers/driver.js';
import { UnsupportedFaultError, type FaultContext, type Injected } from './fault.js';

export function lifecycleOf(driver: Driver, kind: string): LifecycleActions {
  if (!driver.lifecycle) throw new UnsupportedFaultError(`the ${driver.name} driver cannot ${kind} targets`);
  return driver.lifecycle;
}

export function networkOf(driver: Driver, kind: string): NetworkActions {
  if (!driver.network) throw new UnsupportedFaultError(`the ${driver.name} driver cannot apply ${kind} faults`);
  return driver.network;
}

/** The victims of a fault whose params name one target group. */
export function targetVictims<K extends FaultKind>(fc: FaultContext<K>): Target[] {
  const name = (fc.params as { target?: string }).target;
  return name === undefined ? [] : [...(fc.groups.get(name) ?? [])];
}

/**
 * An Injected whose revert, once it has succeeded, is not played again (later calls return the
 * same outcome); a revert that failed may be retried.
 */
export function injected(target: Target, undo: JsonValue, revert: (ctx: RunContext) => Promise<RevertResult>): Injected {
  let outcome: Promise<RevertResult> | undefined;
  return {
    target,
    undo,
    revert(ctx) {
      outcome ??= revert(ctx).catch((e: unknown) => {
        outcome = undefined;
        throw e;
      });
      return outcome;
    },
  };
}

export const NOTHING_TO_REVERT: RevertResult = { note: 'instant fault: nothing to revert' };
