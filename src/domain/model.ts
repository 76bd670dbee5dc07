// Runtime domain types: what selection produces, what probes record, what the journal keeps.
// Pure data; no behaviour that touches the world.
import type { ObserverLog } from './alerts.js';
import type { CommandRun } from './command.js';
import type { DetectionChannel } from './logbook.js';
import type { PhaseBounds, PhaseName } from './history.js';
import type { LostWrite, WorkloadSummary } from './workload-summary.js';

export type DriverName = 'process' | 'docker' | 'kubernetes';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** One victim, frozen at selection time. `id` is stable for the driver (service name, container id, namespace/pod). */
export interface Target {
  driver: DriverName;
  /** The experiment's target group this victim was selected for. */
  group: string;
  id: string;
  name: string;
  /** Driver facts recorded for the journal (pid, image, node, addresses...). */
  meta: Record<string, JsonValue>;
}

/** The result of one check (an HTTP request, a TCP connect, a command, a `where` condition). */
export interface CheckResult {
  ok: boolean;
  /** How long the check took, milliseconds. */
  ms: number;
  error?: string;
}

/** One probe observation: a check's result stamped with the probe and its start. A failed check is a sample with ok=false, never an exception. */
export interface Sample extends CheckResult {
  probe: string;
  /** Start of the sample, epoch milliseconds (fractional). */
  t: number;
  /** A count objective's sample: the targets that satisfied its `where` at that instant (ok: the bound held). Absent when they could not be counted. */
  matched?: string[];
}

/**
 * The phases a run records, in this order. Each fault is injected, held and reverted on its own
 * schedule during `inject`; `recover` is the observation after the last fault, judged by the
 * objectives; `revert` is the safety net on every path (whatever is still held is reverted there).
 */
export type Phase = 'setup' | 'plan' | 'steady-state' | 'inject' | 'recover' | 'revert' | 'teardown' | 'done';

export type RunStatus = 'completed' | 'failed' | 'aborted' | 'interrupted';

/**
 * met / missed: judged. unknown: could not be judged (nothing measured, a read-back failed).
 * partial: judged on the data of a run that was cut short (interrupted, aborted); `sofar` says
 * which way that data pointed. Neither unknown nor partial is ever a pass.
 */
export type VerdictStatus = 'met' | 'missed' | 'unknown' | 'partial';

export interface ObjectiveVerdict {
  /** Human description of the objective, e.g. "writes recovers within 10s". */
  objective: string;
  kind: 'recovery' | 'availability' | 'latency' | 'durability' | 'rpo' | 'errorRate' | 'count' | 'detection';
  /** The probe judged, for probe objectives. */
  probe?: string;
  /** The target group counted, for count objectives. */
  target?: string;
  /** The workload judged, for workload objectives. */
  workload?: string;
  /** The observer read, for detection objectives. */
  observer?: string;
  /** The phase judged, for workload latency and error rate. */
  during?: PhaseName;
  status: VerdictStatus;
  /** status === 'met'; kept for readers of earlier journals. */
  met: boolean;
  /** Measured value in the objective's unit (ms, percent or a count); null when nothing could be measured. */
  measured: number | null;
  /**
   * The objective's bound in the same unit (the `within`, `atLeast`, `atMost`, `lostAtMost` or
   * percentile limit). Journals written before 0.2 call it `target`; readers go through `readJournal`.
   */
  bound: number;
  unit: 'ms' | '%' | 'writes' | 'targets';
  /** How measured compares with bound when that is not the kind's usual one (count objectives). */
  comparison?: '<=' | '>=' | '=';
  /** A partial verdict: what the data up to the end of the run showed. */
  sofar?: 'met' | 'missed';
  /** One sentence: measured against the bound and why; for an unknown verdict, why it could not be judged. */
  detail: string;
  /** Extra figures (time to impact, outage length, percentiles, lost writes...). */
  figures: Record<string, number | null>;
  /** Durability and RPO: some lost writes with their acknowledgement times. */
  lostSample?: LostWrite[];
}

export type JournalEvent =
  | { t: number; type: 'phase'; phase: Phase }
  | { t: number; type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { t: number; type: 'targets'; targets: Target[] }
  | { t: number; type: 'inject'; fault: string; kind: string; target: string; ok: boolean; error?: string; undo?: JsonValue; command?: CommandRun }
  | { t: number; type: 'revert'; fault: string; kind: string; target: string; ok: boolean; error?: string; note?: string; command?: CommandRun }
  | { t: number; type: 'abort'; reason: string }
  | { t: number; type: 'interrupt'; signal: string }
  | { t: number; type: 'service'; service: string; event: 'started' | 'ready' | 'exited' | 'restarting' | 'stopped'; pid?: number; code?: number | null; signal?: string | null }
  /** Logbook (domain/logbook.ts): what someone in the room said, typed in the live console. */
  | { t: number; type: 'note'; text: string }
  /** Logbook: a person noticed the fault; `by` who, `via` how, `text` anything they added. */
  | { t: number; type: 'detected'; by: string; via: DetectionChannel; text?: string };

export interface Journal {
  schemaVersion: 1;
  runId: string;
  faultlineVersion: string;
  experiment: { name: string; file?: string; description?: string; spec: JsonValue };
  seed: string;
  driver: DriverName;
  startedAt: number;
  endedAt: number;
  status: RunStatus;
  deviated: boolean;
  unclean: boolean;
  /** Why the run ended as it did, in one sentence. */
  reason?: string;
  targets: Target[];
  /** Reference instants per fault (epoch ms). */
  faults: { name: string; kind: string; injectedAt: number | null; revertedAt: number | null; instant: boolean }[];
  events: JournalEvent[];
  samples: Sample[];
  verdicts: ObjectiveVerdict[];
  /** Per workload: phase stats, durability and timeline, computed from its history after the final read. Absent in journals without workloads. */
  workloads?: WorkloadSummary[];
  /** What may be left behind after an unclean run, and how to remove it. */
  leftovers: string[];
  /** Doubts about what the verdicts mean (e.g. a partition nothing noticed), shown beside them in every report. Absent when there are none. */
  notices?: string[];
  /** Every read of every observer (spec.observers), with the alerts firing then. Absent when none is declared. */
  observers?: ObserverLog[];
  /** Present when the experiment has workloads: their history files, phase bounds and raw counts. */
  workloadRun?: WorkloadRunRecord;
  /** True when the run had a logbook (the live console) where people could mark Detected; absent otherwise. Human detection objectives are unknown without one. */
  logbook?: true;
}

/** What the journal keeps of the workloads' run; every operation is in the history file. */
export interface WorkloadRunRecord {
  /** history.jsonl, beside the journal: one Operation per line, in completion order. */
  history: string;
  /** final-reads.jsonl: one FinalRead per line; null when nothing was read back. */
  finalReads: string | null;
  /** Phase bounds for per-phase figures; null when the workloads never started. */
  phases: PhaseBounds | null;
  counts: WorkloadCounts[];
}

/** What one workload did, counted as it ran (the judged figures are in Journal.workloads). */
export interface WorkloadCounts {
  workload: string;
  /** Scheduled operations per second. */
  rate: number;
  operations: number;
  ok: number;
  fail: number;
  unknown: number;
  dropped: number;
  /** The final read-back's outcome; null when it did not run (no read, no fault, interrupted). */
  finalRead: { keys: number; present: number; absent: number; error: number; ms: number } | null;
}

export const JOURNAL_SCHEMA_VERSION = 1 as const;
