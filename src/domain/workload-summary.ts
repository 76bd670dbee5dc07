// What the checkers make of one workload's history: the journal keeps this summary (the history
// itself stays in history.jsonl), and the reports and workload objectives are computed from it.
// Pure data, written once after the final read.
import type { PhaseBounds, PhaseName } from './history.js';

/** Counts and latency of the operations SCHEDULED in one phase (an operation belongs to the phase of its scheduledAt). */
export interface PhaseStats {
  phase: PhaseName;
  /** Epoch ms; both null when the phase did not happen (no fault injected: no fault or recovery phase). */
  start: number | null;
  end: number | null;
  operations: number;
  ok: number;
  fail: number;
  unknown: number;
  /** Never started because maxInFlight operations were outstanding: counted as errors, without latency. */
  dropped: number;
  /** Acknowledged operations per second of the phase; null when the phase has no length. */
  throughput: number | null;
  /** (fail + unknown + dropped) / operations, in percent; null without operations. */
  errorRate: number | null;
  /** Latency from scheduledAt to completion of every completed operation (ok, fail, unknown), ms,
   * from an HDR histogram (3 significant digits, never above the exact max); null when none completed. */
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** One lost write: acknowledged, then absent when read back. */
export interface LostWrite {
  key: string;
  /** When the acknowledgement arrived (the write's completedAt), epoch ms. */
  ackAt: number;
}

/** The final read-back judged with Jepsen's set-full semantics. */
export interface DurabilityFigures {
  /** Writes attempted (every outcome, dropped included). */
  writes: number;
  /** Writes with outcome ok. */
  acknowledged: number;
  /** Acknowledged and absent (or present with another value) when read back. */
  lost: number;
  /** Writes with outcome unknown (timed out, connection lost mid-request). */
  unknown: number;
  /** Unknown writes that were present when read back: they had been applied after all. */
  recovered: number;
  /** Acknowledged writes whose read-back failed or never happened: their fate is not known. */
  neverRead: number;
  /** Why writes went unread: the first read error seen, or "not read back"; null when none did. */
  neverReadReason: string | null;
  /** Up to 20 lost writes, spread evenly over the lost window, in acknowledgement order. */
  lostSample: LostWrite[];
  /** First and last lost acknowledgement, epoch ms; null when nothing was lost. */
  firstLostAck: number | null;
  lastLostAck: number | null;
  /** lastLostAck - firstLostAck: the span of time whose acknowledged writes were lost; 0 when none. */
  rpoMs: number;
}

/** Operations per time bucket (by scheduledAt), and lost writes per bucket (by acknowledgement). */
export interface TimelineBucket {
  /** Start of the bucket, epoch ms. */
  t: number;
  ok: number;
  errors: number;
  lost: number;
  /** Mean and max latency of the operations completed in the bucket, ms; null when none completed. */
  meanMs: number | null;
  maxMs: number | null;
}

export interface WorkloadSummary {
  workload: string;
  /** The history file's name, relative to the journal, when one was written. */
  history?: string;
  bounds: PhaseBounds;
  /** baseline, fault, recovery, run: always all four, in that order. */
  phases: PhaseStats[];
  /** null when the workload has no read-back (no `read`), so durability cannot be judged. */
  durability: DurabilityFigures | null;
  timeline: { bucketMs: number; buckets: TimelineBucket[] };
}
