// A workload's last interval, as the live views draw it (the console's throughput and latency
// curves). Live only: the journal does not keep these, because its workload summaries (and their
// per-second timeline) are computed from history.jsonl after the run, where every operation is.

export interface WorkloadInterval {
  workload: string;
  /** The interval, epoch ms: operations are counted when they completed (dropped ones when they were due). */
  start: number;
  end: number;
  /** Acknowledged operations. */
  ok: number;
  /** Operations that failed, timed out (unknown) or were dropped (maxInFlight). */
  failed: number;
  /** ok and failed per second of the interval. */
  okPerSecond: number;
  failedPerSecond: number;
  /** Nearest-rank latency, scheduledAt to completion, of the operations completed in the interval, ms; null when none completed. */
  p50: number | null;
  p99: number | null;
}

/** What live listeners receive for each workload every interval (beside the journal's events and samples). */
export interface WorkloadIntervalEvent {
  t: number;
  type: 'workload';
  interval: WorkloadInterval;
}
