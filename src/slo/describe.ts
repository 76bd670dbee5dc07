// The readable names of objectives and the number formats their sentences use.
import { formatDuration } from '../domain/units.js';
import { PERCENTILE_KEYS } from './percentile.js';
import type { AvailabilitySpec, LatencySpec, RecoverySpec } from './types.js';

/** "99.17%": at most two decimals, trailing zeros dropped, never rounded up to a misleading 100%. */
export function formatPercent(p: number): string {
  const floored = Math.floor(p * 100) / 100;
  return `${Number(floored.toFixed(2))}%`;
}

export function describeRecovery(o: RecoverySpec): string {
  return `${o.probe} recovers within ${formatDuration(o.within)}${o.after ? ` of ${o.after}` : ''}`;
}

export function describeAvailability(o: AvailabilitySpec): string {
  return `${o.probe} available >= ${formatPercent(o.atLeast)}`;
}

export function describeLatency(o: LatencySpec): string {
  const parts = PERCENTILE_KEYS.filter((k) => o[k] !== undefined).map((k) => `${k} <= ${formatDuration(o[k]!)}`);
  const who = o.probe ?? o.workload;
  const during = o.workload !== undefined && o.during !== undefined && o.during !== 'run' ? ` during ${o.during}` : '';
  return `${parts.length === 1 ? `${who} ${parts[0]!.replace(' <=', ' latency <=')}` : `${who} latency ${parts.join(', ')}`}${during}`;
}
