// Throughput and latency over time for the report: operations per bucket of their scheduledAt,
// lost writes per bucket of their acknowledgement. One pass, memory per bucket, not per operation.
import type { Operation } from '../../domain/history.js';
import type { TimelineBucket } from '../../domain/workload-summary.js';

interface Bucket {
  ok: number;
  errors: number;
  lost: number;
  completed: number;
  sumMs: number;
  maxMs: number;
}

export class TimelineCollector {
  private readonly buckets = new Map<number, Bucket>();

  constructor(
    private readonly origin: number,
    readonly bucketMs = 1000,
  ) {}

  private at(t: number): Bucket {
    const i = Math.floor((t - this.origin) / this.bucketMs);
    let b = this.buckets.get(i);
    if (!b) this.buckets.set(i, (b = { ok: 0, errors: 0, lost: 0, completed: 0, sumMs: 0, maxMs: 0 }));
    return b;
  }

  add(op: Operation): void {
    const b = this.at(op.scheduledAt);
    if (op.outcome === 'ok') b.ok++;
    else b.errors++;
    if (op.completedAt === null || op.outcome === 'dropped') return;
    const ms = Math.max(0, op.completedAt - op.scheduledAt);
    b.completed++;
    b.sumMs += ms;
    if (ms > b.maxMs) b.maxMs = ms;
  }

  addLost(ackAt: number): void {
    this.at(ackAt).lost++;
  }

  result(): TimelineBucket[] {
    return [...this.buckets]
      .sort((a, b) => a[0] - b[0])
      .map(([i, b]) => ({
        t: this.origin + i * this.bucketMs,
        ok: b.ok,
        errors: b.errors,
        lost: b.lost,
        meanMs: b.completed ? b.sumMs / b.completed : null,
        maxMs: b.completed ? b.maxMs : null,
      }));
  }
}
