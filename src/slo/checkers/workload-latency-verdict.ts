// latency {workload, p50..max, during}: percentiles of the phase's operations, measured from their
// scheduled start, against each bound. The headline is the bound under the most pressure.
import type { ObjectiveVerdict } from '../../domain/model.js';
import { formatDuration } from '../../domain/units.js';
import type { WorkloadSummary } from '../../domain/workload-summary.js';
import { describeLatency } from '../describe.js';
import { PERCENTILE_KEYS, type PercentileKey } from '../percentile.js';
import type { WorkloadLatencySpec } from '../types.js';
import { judged, phaseOfSummary, summaryOf, unknownVerdict } from './verdict-parts.js';

const pressure = (measured: number, target: number) => (target > 0 ? measured / target : measured > 0 ? Infinity : 0);

export function evaluateWorkloadLatency(o: WorkloadLatencySpec, workloads: readonly WorkloadSummary[] | undefined): ObjectiveVerdict {
  const during = o.during ?? 'run';
  const keys = PERCENTILE_KEYS.filter((k) => o[k] !== undefined);
  const base = { objective: describeLatency(o), kind: 'latency' as const, workload: o.workload, during, bound: o[keys[0]!]!, unit: 'ms' as const };
  const s = summaryOf(workloads, o.workload);
  if (typeof s === 'string') return unknownVerdict(base, s);
  const p = phaseOfSummary(s, during);
  if (typeof p === 'string') return unknownVerdict(base, p);
  const figures: ObjectiveVerdict['figures'] = { operations: p.operations, completed: p.operations - p.dropped };
  for (const k of PERCENTILE_KEYS) figures[k] = p[k];
  if (p.max === null) return unknownVerdict(base, `no operation of "${o.workload}" completed during the ${during} phase (${p.dropped} dropped)`, figures);

  let head: PercentileKey = keys[0]!;
  for (const k of keys) if (pressure(p[k]!, o[k]!) > pressure(p[head]!, o[head]!)) head = k;
  const missed = keys.filter((k) => p[k]! > o[k]!);
  const others = keys.length > 1 ? `; ${missed.length} of ${keys.length} bounds missed` : '';
  const detail = `${head} ${formatDuration(p[head]!)} over ${p.operations - p.dropped} operations of the ${during} phase, from their scheduled start (target ${formatDuration(o[head]!)})${others}`;
  return judged({ ...base, bound: o[head]! }, missed.length === 0, p[head]!, detail, figures);
}
