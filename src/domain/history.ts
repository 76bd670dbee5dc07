// The history of a workload: every operation faultline started (or could not start) against the
// service, recorded as it completes. Checkers are pure functions from a history to verdicts
// (record first, judge later), so this shape is the contract between the workload runtime that
// writes `history.jsonl` and the checkers that read it.

/** ok: acknowledged. fail: definitely not applied (refused, error reply). unknown: timed out or the
 * connection was lost mid-request, so it may or may not have been applied. dropped: never started
 * because `maxInFlight` operations were already outstanding at its scheduled start. */
export type OperationOutcome = 'ok' | 'fail' | 'unknown' | 'dropped';

export type OperationType = 'write' | 'read';

/** One line of history.jsonl. Times are epoch milliseconds (fractional) from the run's clock. */
export interface Operation {
  workload: string;
  /** Per-workload sequence number, from 0, in scheduled order. */
  seq: number;
  type: OperationType;
  key: string;
  /** The value written, or for a read the value found (null: absent). */
  value: string | null;
  /** When the open-model schedule said it should start: latency is measured from here. */
  scheduledAt: number;
  /** When it actually started; null when dropped. */
  startedAt: number | null;
  /** When the outcome was known (reply, error or timeout); null when dropped. */
  completedAt: number | null;
  outcome: OperationOutcome;
  /** The reason for fail/unknown/dropped, redacted, at most a few hundred characters. */
  error?: string;
}

/** A read-back of one key after the recovery window, for the durability check. */
export interface FinalRead {
  workload: string;
  key: string;
  /** The seq of the write this read checks, when known: the checker then joins read and write by
   * seq (an array index, checked against the key) instead of hashing a million keys. Optional. */
  seq?: number;
  /** present: the value read equals the value written; absent: 404/empty/nil; error: the read itself failed after its retries. */
  found: 'present' | 'absent' | 'error';
  /** What was read when it differs from what was written (present with another value counts as absent). */
  value?: string | null;
  error?: string;
  at: number;
}

/** The run's phases as the checkers see them, epoch ms. */
export interface PhaseBounds {
  /** Start of steady state (the baseline starts here). */
  baselineStart: number;
  /** The first injection; null when no fault was injected. */
  faultStart: number | null;
  /** The last revert (or the last instant injection); null when no fault was injected. */
  faultEnd: number | null;
  /** End of observation. */
  end: number;
}

export type PhaseName = 'baseline' | 'fault' | 'recovery' | 'run';
