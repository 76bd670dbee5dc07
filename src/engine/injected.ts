// A fault injected on one victim, as the engine keeps it until it is reverted. Its revert is the
// driver handler's, made idempotent: the engine, a signal handler and the end of the run may all
// ask for it.
import type { RunContext } from '../domain/context.js';
import type { JsonValue, Target } from '../domain/model.js';
import type { RevertResult } from '../drivers/driver.js';
import type { DriverFault } from '../drivers/fault-handler.js';

export interface Injected {
  target: Target;
  undo: JsonValue;
  /** Once it has succeeded it is not played again (later calls return the same outcome); a revert that failed may be retried. */
  revert(ctx: RunContext): Promise<RevertResult>;
}

export function injected(handler: DriverFault, target: Target, undo: JsonValue): Injected {
  let outcome: Promise<RevertResult> | undefined;
  return {
    target,
    undo,
    revert(ctx) {
      outcome ??= handler.revert(target, undo, ctx).catch((e: unknown) => {
        outcome = undefined;
        throw e;
      });
      return outcome;
    },
  };
}
