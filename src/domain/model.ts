// Runtime domain types: what selection produces, what probes record, what the journal keeps.
// Pure data; no behaviour that touches the world.
import type { PhaseBounds } from './history.js';

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

/** One probe observation. A failed check is a sample with ok=false, never an exception. */
export interface Sample {
  probe: string;
  /** Start of the sample, epoch milliseconds (fractional). */
  t: number;
  ok: boolean;
  /** How long the check took, milliseconds. */
  ms: number;
  error?: string;
}

export type Phase = 'plan' | 'setup' | 'steady-state' | 'inject' | 'observe' | 'revert' | 'recover' | 'teardown' | 'done';

export type RunStatus = 'completed' | 'failed' | 'aborted' | 'interrupted';

export interface ObjectiveVerdict {
  /** Human description of the objective, e.g. "writes recovers within 10s". */
  objective: string;
  kind: 'recovery' | 'availability' | 'latency';
  probe: string;
  met: boolean;
  /** Measured value in the objective's unit (ms or percent); null when nothing could be measured. */
  measured: number | null;
  /** Target value in the same unit. */
  target: number;
  unit: 'ms' | '%';
  /** One sentence: measured against target and why. */
  detail: string;
  /** Extra figures (time to impact, outage length, percentiles...). */
  figures: Record<string, number | null>;
}

export type JournalEvent =
  | { t: number; type: 'phase'; phase: Phase }
  | { t: number; type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { t: number; type: 'targets'; targets: Target[] }
  | { t: number; type: 'inject'; fault: string; kind: string; target: string; ok: boolean; error?: string; undo?: JsonValue }
  | { t: number; type: 'revert'; fault: string; kind: string; target: string; ok: boolean; error?: string; note?: string }
  | { t: number; type: 'abort'; reason: string }
  | { t: number; type: 'interrupt'; signal: string }
  | { t: number; type: 'service'; service: string; event: 'started' | 'ready' | 'exited' | 'restarting' | 'stopped'; pid?: number; code?: number | null; signal?: string | null };

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
  /** What may be left behind after an unclean run, and how to remove it. */
  leftovers: string[];
  /** Present when the experiment has workloads: their counts, phases and history files. */
  workloads?: WorkloadsRecord;
}

/** What the journal keeps of the workloads; every operation is in the history file. */
export interface WorkloadsRecord {
  /** history.jsonl, beside the journal: one Operation per line, in completion order. */
  history: string;
  /** final-reads.jsonl: one FinalRead per line; null when nothing was read back. */
  finalReads: string | null;
  /** Phase bounds for per-phase figures; null when the workloads never started. */
  phases: PhaseBounds | null;
  summaries: WorkloadSummary[];
}

export interface WorkloadSummary {
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
