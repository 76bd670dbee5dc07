// "in the window +1.20s..+3.45s after the first injection": where lost writes were acknowledged.
import type { DurabilityFigures, WorkloadSummary } from '../../domain/workload-summary.js';
import { formatDuration } from '../../domain/units.js';

const signed = (ms: number) => `${ms < 0 ? '-' : '+'}${formatDuration(Math.abs(ms))}`;

export function lostWindowText(s: WorkloadSummary, d: DurabilityFigures): string {
  if (d.firstLostAck === null || d.lastLostAck === null) return '';
  const injected = s.bounds.faultStart !== null;
  const ref = s.bounds.faultStart ?? s.bounds.baselineStart;
  return `, acknowledged ${signed(d.firstLostAck - ref)}..${signed(d.lastLostAck - ref)} ${injected ? 'from the first injection' : 'from the start of the baseline'}`;
}
