// errorRate {workload, atMost, during}: the share of the phase's operations that failed, timed out
// (unknown) or were dropped for lack of an in-flight slot.
import type { ObjectiveVerdict } from '../../domain/model.js';
import type { WorkloadSummary } from '../../domain/workload-summary.js';
import { formatPercent } from '../describe.js';
import type { ErrorRateSpec } from '../types.js';
import { describeErrorRate } from './describe.js';
import { judged, phaseOfSummary, summaryOf, unknownVerdict } from './verdict-parts.js';

export function evaluateErrorRate(o: ErrorRateSpec, workloads: readonly WorkloadSummary[] | undefined): ObjectiveVerdict {
  const base = { objective: describeErrorRate(o), kind: 'errorRate' as const, workload: o.workload, during: o.during, bound: o.atMost, unit: '%' as const };
  const s = summaryOf(workloads, o.workload);
  if (typeof s === 'string') return unknownVerdict(base, s);
  const p = phaseOfSummary(s, o.during);
  if (typeof p === 'string') return unknownVerdict(base, p);
  const errors = p.fail + p.unknown + p.dropped;
  const measured = p.errorRate!;
  const figures = { operations: p.operations, ok: p.ok, fail: p.fail, unknown: p.unknown, dropped: p.dropped };
  const detail = `${formatPercent(measured)} errors: ${errors} of ${p.operations} operations of the ${o.during} phase (${p.fail} failed, ${p.unknown} unknown, ${p.dropped} dropped) (target <= ${formatPercent(o.atMost)})`;
  return judged(base, measured <= o.atMost, measured, detail, figures);
}
