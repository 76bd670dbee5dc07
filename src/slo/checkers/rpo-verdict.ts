// rpo {workload, atMost}: the span of time whose acknowledged writes were lost (last lost
// acknowledgement minus the first, 0 when none). Writes that could not be read back may hide a
// longer span, so they make the verdict unknown unless the span seen already exceeds the bound.
import type { ObjectiveVerdict } from '../../domain/model.js';
import { formatDuration } from '../../domain/units.js';
import type { WorkloadSummary } from '../../domain/workload-summary.js';
import type { RpoSpec } from '../types.js';
import { describeRpo } from './describe.js';
import { lostWindowText } from './lost-window-text.js';
import { durabilityDoubt, durabilityFigures, judged, readBackOf, unknownVerdict } from './verdict-parts.js';

export function evaluateRpo(o: RpoSpec, workloads: readonly WorkloadSummary[] | undefined): ObjectiveVerdict {
  const base = { objective: describeRpo(o), kind: 'rpo' as const, workload: o.workload, bound: o.atMost, unit: 'ms' as const };
  const read = readBackOf(base, workloads, o.workload);
  if ('objective' in read) return read;
  const { s, d } = read;
  const figures = durabilityFigures(s, d);
  const withSample = { ...base, lostSample: d.lostSample };
  const what = d.lost === 0 ? 'no acknowledged write lost' : `${d.lost} acknowledged writes lost over ${formatDuration(d.rpoMs)}${lostWindowText(s, d)}`;
  const detail = `RPO ${formatDuration(d.rpoMs)}: ${what} (target ${formatDuration(o.atMost)})`;
  if (d.rpoMs > o.atMost) return judged(withSample, false, d.rpoMs, detail, figures);
  const doubt = durabilityDoubt(d);
  if (doubt) return { ...unknownVerdict(withSample, doubt, figures), measured: d.rpoMs };
  return judged(withSample, true, d.rpoMs, detail, figures);
}
