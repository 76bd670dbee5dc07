// One workload's operations since the last interval: the counts and latencies the live views
// draw once a second. Cheap enough for the generator's fastest rate: a number pushed per
// operation, one sort per interval.
import type { Operation } from '../domain/history.js';
import type { WorkloadInterval } from '../domain/live-workload.js';
import { pickRank } from '../slo/percentile.js';

export class IntervalMeter {
  private ok = 0;
  private failed = 0;
  private latencies: number[] = [];

  constructor(readonly workload: string, private start: number) {}

  /** Whether anything happened since the last take: a zero-length tail is not worth a point on a curve. */
  worthTaking(now: number): boolean {
    return now > this.start || this.ok + this.failed > 0;
  }

  add(op: Operation): void {
    if (op.outcome === 'ok') this.ok++;
    else this.failed++;
    // Measured from when the operation was due, as the run's own figures are (no coordinated omission).
    if (op.completedAt !== null) this.latencies.push(op.completedAt - op.scheduledAt);
  }

  /** The interval from the previous take (or the start) to `now`; the next one begins at `now`. */
  take(now: number): WorkloadInterval {
    const seconds = Math.max(now - this.start, 1) / 1000;
    const sorted = this.latencies.sort((a, b) => a - b);
    const interval: WorkloadInterval = {
      workload: this.workload,
      start: this.start,
      end: now,
      ok: this.ok,
      failed: this.failed,
      okPerSecond: this.ok / seconds,
      failedPerSecond: this.failed / seconds,
      p50: pickRank(sorted, 50),
      p99: pickRank(sorted, 99),
    };
    this.start = now;
    this.ok = 0;
    this.failed = 0;
    this.latencies = [];
    return interval;
  }
}
