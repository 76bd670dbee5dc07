// The fault contract. A fault acts on ONE target; the engine selects victims, iterates over them
// (bounded concurrency), records every inject and revert in the journal, and always reverts.
import type { RunContext } from '../domain/context.js';
import type { FaultKind, FaultParams } from '../domain/experiment.js';
import type { JsonValue, Target } from '../domain/model.js';
import type { Driver, RevertResult } from '../drivers/driver.js';

/** What an injection left, and how to take it back. `undo` is plain JSON so a ledger can replay it. */
export interface Injected {
  target: Target;
  undo: JsonValue;
  /** Idempotent; a vanished target counts as reverted. */
  revert(ctx: RunContext): Promise<RevertResult>;
}

export interface FaultContext<K extends FaultKind> {
  params: FaultParams<K>;
  driver: Driver;
  /** Victims of other target groups, by group name (e.g. the peers of a partition). */
  groups: ReadonlyMap<string, Target[]>;
}

export interface Fault<K extends FaultKind = FaultKind> {
  kind: K;
  /** Instant faults (kill, restart) have nothing to hold; their reference instant is the injection. */
  instant: boolean;
  /** The victims this fault acts on, one inject call each. */
  victims(fc: FaultContext<K>): Target[];
  /** One line per victim for `plan`: what will be done, by which mechanism, and how it is undone. */
  describe(target: Target, fc: FaultContext<K>): string;
  inject(target: Target, fc: FaultContext<K>, ctx: RunContext): Promise<Injected>;
  /**
   * Undo from the recorded undo alone, without the run that injected it: what `faultline rollback`
   * and the watchdogs play from the ledger. Idempotent; a vanished target counts as restored.
   */
  restore(target: Target, undo: JsonValue, driver: Driver, ctx: RunContext): Promise<RevertResult>;
}

/** Thrown when the driver lacks what a fault needs; caught by validation before anything runs. */
export class UnsupportedFaultError extends Error {
  override readonly name = 'UnsupportedFaultError';
}
