// The readable names of workload objectives (probe objectives are named in slo/describe.ts).
import { formatDuration } from '../../domain/units.js';
import { formatPercent } from '../describe.js';
import type { DurabilitySpec, ErrorRateSpec, RpoSpec } from '../types.js';

export function describeDurability(o: DurabilitySpec): string {
  return `${o.workload} loses at most ${o.lostAtMost} acknowledged write${o.lostAtMost === 1 ? '' : 's'}`;
}

export function describeRpo(o: RpoSpec): string {
  return `${o.workload} RPO <= ${formatDuration(o.atMost)}`;
}

export function describeErrorRate(o: ErrorRateSpec): string {
  return `${o.workload} error rate <= ${formatPercent(o.atMost)}${o.during === 'run' ? '' : ` during ${o.during}`}`;
}
