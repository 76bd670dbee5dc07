// durability {workload, lostAtMost}: acknowledged writes missing when read back after the run.
// A loss above the bound is a miss even when some writes could not be read back; anything else
// with unread writes is unknown, never met.
import type { ObjectiveVerdict } from '../../domain/model.js';
import type { WorkloadSummary } from '../../domain/workload-summary.js';
import type { DurabilitySpec } from '../types.js';
import { describeDurability } from './describe.js';
import { durabilityDoubt, durabilityFigures, judged, readBackOf, unknownVerdict } from './verdict-parts.js';
import { lostWindowText } from './lost-window-text.js';

export function evaluateDurability(o: DurabilitySpec, workloads: readonly WorkloadSummary[] | undefined): ObjectiveVerdict {
  const base = { objective: describeDurability(o), kind: 'durability' as const, workload: o.workload, bound: o.lostAtMost, unit: 'writes' as const };
  const read = readBackOf(base, workloads, o.workload);
  if ('objective' in read) return read;
  const { s, d } = read;
  const figures = durabilityFigures(s, d);
  const withSample = { ...base, lostSample: d.lostSample };
  const counts = `${d.lost} of ${d.acknowledged} acknowledged writes lost${lostWindowText(s, d)}; ${d.unknown} unknown, ${d.recovered} of them recovered`;
  if (d.lost > o.lostAtMost) return judged(withSample, false, d.lost, `${counts} (target <= ${o.lostAtMost})`, figures);
  const doubt = durabilityDoubt(d);
  if (doubt) return { ...unknownVerdict(withSample, doubt, figures), measured: d.lost };
  return judged(withSample, true, d.lost, `${counts} (target <= ${o.lostAtMost})`, figures);
}
