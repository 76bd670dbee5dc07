// How a driver injects and reverts one fault kind. Each driver keeps one registry of handlers
// (src/drivers/<driver>/faults/index.ts); the engine reaches them through `Driver.faults`, bound to
// the driver's own internals. Everything said about a kind elsewhere (which kinds a driver
// supports, expiry texts, rollback's replay) is derived from these registrations.
import type { z } from 'zod';
import type { CommandRun } from '../domain/command.js';
import type { RunContext } from '../domain/context.js';
import type { FaultKind, FaultParams } from '../domain/fault-kinds/catalog.js';
import type { DriverName, JsonValue, Target } from '../domain/model.js';
import type { Hold, RevertResult } from './driver.js';

/** What a handler is told about the fault besides its target. */
export interface FaultArgs<K extends FaultKind = FaultKind> {
  params: FaultParams<K>;
  /** Victims of every target group, by group name (e.g. the peers of a partition). */
  groups: ReadonlyMap<string, Target[]>;
  /** Given by the engine to each inject: a handler that ran a command reports it, for the journal's inject event. */
  ran?(run: CommandRun): void;
}

/**
 * One driver's implementation of one kind. `D` is the driver's internals, handed in at each call,
 * so a handler file imports only types from the driver (the registry stays cheap to load).
 * `U` is the undo record: plain JSON, written to the ledger, read back by rollback.
 */
export interface FaultHandler<K extends FaultKind, D, U = JsonValue> {
  /**
   * What the fault changes on its victim, as paths ("container state", "network namespace/root
   * qdisc"). Two faults in place on one victim at the same time are refused when a path of one
   * equals a path of the other or contains it (stop replaces the "network namespace" a latency's
   * "network namespace/root qdisc" lives in): one's revert would undo the other while the journal
   * still records it as held. Faults whose paths differ compose.
   */
  touches: readonly string[];
  /** The undo record's shape, checked whenever one is read back (ledger, holder label). */
  undo: z.ZodType<U>;
  /** A typical undo record for `target`: the completeness test round-trips it through JSON and `undo`. */
  example(target: Target): U;
  /** Overrides the kind's own victims (the driver names the victim, e.g. a scaled workload). */
  victims?(args: FaultArgs<K>, driver: D): Target[];
  /** Overrides the kind's `plan` line with the driver's mechanism. */
  describe?(target: Target, args: FaultArgs<K>, driver: D): string;
  /** Applies the fault to ONE target; returns what revert needs. `hold` is given for held faults. */
  inject(target: Target, args: FaultArgs<K>, ctx: RunContext, driver: D, hold?: Hold): Promise<U>;
  /**
   * Idempotent; a vanished target counts as reverted. The same function serves the live revert and
   * the replay from a ledger by another process (`faultline rollback`, a watchdog, a sweep).
   */
  revert(target: Target, undo: U, ctx: RunContext, driver: D): Promise<RevertResult>;
  /** For held kinds: how the fault ends if faultline dies before reverting it, given its time to live. */
  expiry?(ttlMs: number, driver: D): string;
  /**
   * How long this fault's revert may legitimately run (a `command` revert: its timeout). The time to
   * live grows by it, so a watchdog or holder never replays a revert the runner is still playing.
   */
  revertBudgetMs?(args: FaultArgs): number;
}

/** A handler bound to one driver instance: what the engine calls through the port. */
export interface DriverFault {
  readonly kind: FaultKind;
  readonly touches: readonly string[];
  victims?(args: FaultArgs): Target[];
  describe?(target: Target, args: FaultArgs): string;
  inject(target: Target, args: FaultArgs, ctx: RunContext, hold?: Hold): Promise<JsonValue>;
  /** Checks the undo record's shape first: a record the handler cannot read is a clear error. */
  revert(target: Target, undo: JsonValue, ctx: RunContext): Promise<RevertResult>;
  expiry?(ttlMs: number): string;
  revertBudgetMs?(args: FaultArgs): number;
}

/** A held fault's time to live: its hold, the expiry margin, and the time its own revert may take. */
export function timeToLive(fault: DriverFault | undefined, args: FaultArgs, forMs: number, marginMs: number): number {
  return forMs + marginMs + (fault?.revertBudgetMs?.(args) ?? 0);
}

export type DriverFaults = ReadonlyMap<FaultKind, DriverFault>;

/** Binds a registry to a driver's internals. */
export function bindFaults<D>(driverName: DriverName, registry: Readonly<Partial<Record<FaultKind, unknown>>>, driver: D): DriverFaults {
  const bound = new Map<FaultKind, DriverFault>();
  for (const [kind, entry] of Object.entries(registry) as [FaultKind, FaultHandler<FaultKind, D, unknown> | undefined][]) {
    if (!entry) continue;
    const h = entry;
    bound.set(kind, {
      kind,
      touches: h.touches,
      ...(h.victims ? { victims: (args: FaultArgs) => h.victims!(args, driver) } : {}),
      ...(h.describe ? { describe: (t: Target, args: FaultArgs) => h.describe!(t, args, driver) } : {}),
      inject: async (t, args, ctx, hold) => (await h.inject(t, args, ctx, driver, hold)) as JsonValue,
      revert: async (t, undo, ctx) => h.revert(t, readUndo(driverName, kind, h.undo, t, undo), ctx, driver),
      ...(h.expiry ? { expiry: (ttl: number) => h.expiry!(ttl, driver) } : {}),
      ...(h.revertBudgetMs ? { revertBudgetMs: h.revertBudgetMs } : {}),
    });
  }
  return bound;
}

/** An undo record read back, checked against the handler's schema. */
export function readUndo<U>(driverName: DriverName, kind: FaultKind, schema: z.ZodType<U>, target: Target, undo: unknown): U {
  const r = schema.safeParse(undo);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
  throw new Error(`the undo record of ${kind} on ${target.name} is not one the ${driverName} driver can revert (${why}): ${JSON.stringify(undo)}`);
}

/** The handler of `kind`, or a clear error naming what the driver supports. */
export function faultOf(faults: DriverFaults, driverName: DriverName, kind: FaultKind): DriverFault {
  const f = faults.get(kind);
  if (!f) throw new Error(`the ${driverName} driver cannot ${kind} (it supports: ${[...faults.keys()].join(', ') || 'no faults'})`);
  return f;
}

export const NOTHING_TO_REVERT: RevertResult = { note: 'instant fault: nothing to revert' };
