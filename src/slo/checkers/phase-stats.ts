// Per-phase throughput, error rate and latency of one workload, streaming: one pass over the
// operations in any order, constant memory per phase.
import type { Operation, PhaseBounds } from '../../domain/history.js';
import type { PhaseStats } from '../../domain/workload-summary.js';
import { LatencyHistogram } from './latency-histogram.js';
import { PHASE_NAMES, phaseOf, phaseSpan } from './phases.js';

interface Tally {
  operations: number;
  ok: number;
  fail: number;
  unknown: number;
  dropped: number;
  latency: LatencyHistogram;
}

const tally = (): Tally => ({ operations: 0, ok: 0, fail: 0, unknown: 0, dropped: 0, latency: new LatencyHistogram() });

export class PhaseStatsCollector {
  private readonly tallies = { baseline: tally(), fault: tally(), recovery: tally() };

  constructor(private readonly bounds: PhaseBounds) {}

  add(op: Operation): void {
    const t = this.tallies[phaseOf(op.scheduledAt, this.bounds)];
    t.operations++;
    t[op.outcome]++;
    // Latency from the scheduled start, so a stalled server shows in every operation that waited for it.
    if (op.outcome !== 'dropped' && op.completedAt !== null) t.latency.record(op.completedAt - op.scheduledAt);
  }

  result(): PhaseStats[] {
    // The run is the sum of the phases: one histogram update per operation instead of two.
    const { baseline, fault, recovery } = this.tallies;
    const run = tally();
    for (const t of [baseline, fault, recovery]) {
      run.operations += t.operations;
      run.ok += t.ok;
      run.fail += t.fail;
      run.unknown += t.unknown;
      run.dropped += t.dropped;
      run.latency.add(t.latency);
    }
    const all = { baseline, fault, recovery, run };
    return PHASE_NAMES.map((phase) => {
      const t = all[phase];
      const span = phaseSpan(phase, this.bounds);
      const seconds = span ? (span.end - span.start) / 1000 : 0;
      const errors = t.fail + t.unknown + t.dropped;
      return {
        phase,
        start: span?.start ?? null,
        end: span?.end ?? null,
        operations: t.operations,
        ok: t.ok,
        fail: t.fail,
        unknown: t.unknown,
        dropped: t.dropped,
        throughput: seconds > 0 ? t.ok / seconds : null,
        errorRate: t.operations > 0 ? (errors / t.operations) * 100 : null,
        ...t.latency.percentiles(),
      };
    });
  }
}
