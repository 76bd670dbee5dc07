// The driver port: everything the engine and probes may ask of the world. Concrete drivers
// (process, docker, kubernetes) implement it; they are constructed only by the CLI or a library
// user and passed in. This file holds interfaces only: the port (`Driver`), and the mechanism
// interfaces the drivers implement internally and their fault handlers call (LifecycleActions...).
import type { CommandRun } from '../domain/command.js';
import type { RunContext } from '../domain/context.js';
import type { Experiment, ProbeSpec, SelectorSpec, WhereSpec } from '../domain/experiment.js';
import type { CheckResult, DriverName, JournalEvent, JsonValue, Target } from '../domain/model.js';
import type { DriverFaults } from './fault-handler.js';

/** Something a driver observed, recorded in the journal as it happens. */
export type DriverEvent = Omit<Extract<JournalEvent, { type: 'service' }>, 't' | 'type'>;

/** A network impairment applied to one target's traffic. */
export type Impairment =
  | { kind: 'latency'; delayMs: number; jitterMs: number; direction: 'to' | 'from' | 'both'; peers?: Target[] }
  | { kind: 'bandwidth'; bytesPerSecond: number; direction: 'to' | 'from' | 'both' }
  | { kind: 'loss'; percent: number; mode: 'drop' | 'reset' }
  | { kind: 'timeout' }
  | { kind: 'dns' };

/**
 * A held fault as the driver sees it while injecting it: which fault, and when it must be gone at
 * the latest (its `for` plus the expiry margin, epoch ms). A driver that can arrange for something
 * outside faultline to end the fault on time (a Docker holder container) uses it; others ignore it.
 */
export interface Hold {
  fault: string;
  kind: string;
  expiresAt: number;
}

export interface RevertResult {
  /** True when the target (or the namespace/object the fault lived in) was already gone: counted as reverted. */
  vanished?: boolean;
  /** Something worth recording, e.g. "container restarted during the fault; its new namespace never had the rules". */
  note?: string;
  /** A `command` fault's revert: what ran, its exit code, duration and (redacted) output. */
  command?: CommandRun;
}

export type TargetState = 'running' | 'paused' | 'stopped' | 'gone';

/** Acting on a target's process or container. Every method acts on ONE target. */
export interface LifecycleActions {
  kill(target: Target, signal: string, ctx: RunContext): Promise<void>;
  pause(target: Target, ctx: RunContext): Promise<void>;
  /** Idempotent; a vanished target resolves with {vanished: true}. */
  unpause(target: Target, ctx: RunContext): Promise<RevertResult>;
  restart(target: Target, timeoutMs: number, ctx: RunContext): Promise<void>;
  stop?(target: Target, timeoutMs: number, ctx: RunContext): Promise<void>;
  start?(target: Target, ctx: RunContext): Promise<RevertResult>;
  state(target: Target, ctx: RunContext): Promise<TargetState>;
}

/** Shaping a target's traffic. `impair`/`partition` return the undo record; `revert` plays it. */
export interface NetworkActions {
  /** Which mechanism will be used and why ("fault proxy on link replica-to-primary", "tc netem", ...). */
  describe(target: Target, impairment: Impairment): string;
  impair(target: Target, impairment: Impairment, ctx: RunContext): Promise<JsonValue>;
  /** Cut traffic between `target` and `peers`: "to" = from target to peers, "from" = peers to target. */
  partition(target: Target, peers: Target[], direction: 'to' | 'from' | 'both', ctx: RunContext): Promise<JsonValue>;
  /** Idempotent. A target or namespace that vanished counts as reverted. */
  revert(target: Target, undo: JsonValue, ctx: RunContext): Promise<RevertResult>;
}

/** Kubernetes: acting on one pod (pod-delete, pod-kill, container-kill). A pod already gone resolves {vanished: true}. */
export interface PodActions {
  /** Delete the pod; `gracePeriodMs` undefined means the pod's own grace period, 0 a kill. */
  delete(target: Target, gracePeriodMs: number | undefined, ctx: RunContext): Promise<RevertResult>;
  /** Send `signal` to the main process of one container of the pod. */
  killContainer(target: Target, container: string, signal: string, ctx: RunContext): Promise<RevertResult>;
}

/** Kubernetes: a Deployment or StatefulSet, named by a `scale` fault. */
export interface WorkloadRef {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  /** Default: the driver's namespace. */
  namespace?: string;
}

/** Kubernetes: changing a workload's replica count and putting it back. */
export interface WorkloadActions {
  /** The workload as a target, so the engine can record and revert it like any victim. */
  target(ref: WorkloadRef): Target;
  /** Sets the replica count; the undo record holds the count to restore. */
  scale(ref: WorkloadRef, replicas: number, ctx: RunContext): Promise<JsonValue>;
  /** Idempotent; a workload that was deleted meanwhile counts as reverted. */
  revert(undo: JsonValue, ctx: RunContext): Promise<RevertResult>;
}

/** A sampler created by a driver for driver-specific probe kinds (docker-health, k8s-ready, exec in a container). */
export interface ProbeRunner {
  sample(ctx: RunContext): Promise<CheckResult>;
  close?(): Promise<void>;
}

/** What `Driver.reapExpired` did: one line per object removed, one per object it could not remove. */
export interface ReapReport {
  removed: string[];
  failed: string[];
  /** Why less was searched than asked for (no cluster-wide list rights...). */
  note?: string;
}

export interface Driver {
  readonly name: DriverName;
  /** Lets the engine record what the driver sees happen on its own (a supervised service exiting and restarting). */
  subscribe?(listener: (event: DriverEvent) => void): void;
  /** Read the experiment without side effects, so `plan` can resolve targets without starting anything. */
  configure?(experiment: Experiment): void;
  /** Connect, check the environment, start what the experiment declares (process services, links). */
  open(experiment: Experiment, ctx: RunContext): Promise<void>;
  /** Every candidate a selector matches, excluding faultline's own helpers. Sorted by id for reproducible picks. */
  candidates(selector: SelectorSpec, group: string, ctx: RunContext): Promise<Target[]>;
  /** Run a `where` probe against one candidate. Never throws for "condition false". */
  where?(where: WhereSpec, target: Target, ctx: RunContext): Promise<CheckResult>;
  /** A runner for probe kinds this driver owns, or undefined to let the generic probes handle it. */
  probe?(name: string, spec: ProbeSpec, targets: ReadonlyMap<string, Target[]>): ProbeRunner | undefined;
  /**
   * The fault kinds this driver can inject, each bound to the driver: built from the driver's
   * registry (src/drivers/<driver>/faults/index.ts), which also says what it supports without a
   * driver being constructed (src/drivers/fault-support.ts).
   */
  readonly faults: DriverFaults;
  /**
   * Find what faultline created for `runId` (tagged rules, helper containers, policies, processes)
   * and remove it, without the run that created it. Idempotent. Returns a line per thing removed.
   */
  sweep?(runId: string, ctx: RunContext): Promise<string[]>;
  /**
   * Remove what runs that are gone left behind once its expiry has passed, within what the configured
   * experiment can touch: called before every run, best effort (Kubernetes: expired NetworkPolicies
   * and impairment helpers). Lines say what was removed or could not be.
   */
  reapExpired?(ctx: RunContext): Promise<ReapReport>;
  /**
   * Remove what runs whose runner is gone left behind, even when their ledger is lost too (process:
   * services tagged with a run id). Never touches a run whose runner is alive. A line per thing removed.
   */
  sweepOrphans?(ctx: RunContext): Promise<string[]>;
  /**
   * Why a partition that no probe noticed may not have been enforced on this driver, beyond "no
   * probe crosses it" (Kubernetes: a network plugin that ignores NetworkPolicy).
   */
  readonly partitionCaveat?: string;
  /** Stop what `open` started. Must not throw. */
  close(ctx: RunContext): Promise<void>;
}

export { EnvironmentError, InvalidInputError } from '../domain/errors.js';
