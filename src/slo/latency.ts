// Latency: percentiles of successful samples in the window against each given bound. Failed
// samples are left out because their duration is usually the probe timeout, which availability
// and recovery already account for.
import type { ObjectiveVerdict, Sample } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { describeLatency } from './describe.js';
import { PERCENTILE_KEYS, PERCENTILE_OF, type PercentileKey, pickRank } from './percentile.js';
import { samplesOf, within } from './select.js';
import type { ProbeLatencySpec, Window } from './types.js';

/** measured / bound; a 0ms bound is only met by 0ms. */
function pressure(measured: number, bound: number): number {
  if (bound > 0) return measured / bound;
  return measured > 0 ? Infinity : 0;
}

export function evaluateLatency(o: ProbeLatencySpec, samples: readonly Sample[], window: Window): ObjectiveVerdict {
  const inWindow = within(samplesOf(samples, o.probe), window.start, window.end);
  const okMs = inWindow.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
  const keys = PERCENTILE_KEYS.filter((k) => o[k] !== undefined);
  const figures: Record<string, number | null> = { samples: inWindow.length, successful: okMs.length };
  for (const k of PERCENTILE_KEYS) figures[k] = pickRank(okMs, PERCENTILE_OF[k]);
  const objective = describeLatency(o);
  const first = keys[0]!;

  if (okMs.length === 0) {
    return {
      objective, kind: 'latency', probe: o.probe, status: 'missed', met: false, measured: null, bound: o[first]!, unit: 'ms', figures,
      detail: `no successful samples of ${o.probe} in the window to measure ${first} (target ${formatDuration(o[first]!)})`,
    };
  }

  // The headline is the bound under the most pressure: the worst miss when any is missed,
  // otherwise the one with the least headroom. Ties go to the lower percentile.
  let head: PercentileKey = first;
  for (const k of keys) {
    if (pressure(figures[k]!, o[k]!) > pressure(figures[head]!, o[head]!)) head = k;
  }
  const missed = keys.filter((k) => figures[k]! > o[k]!);
  const measured = figures[head]!;
  const others = keys.length > 1 ? `; ${missed.length} of ${keys.length} bounds missed` : '';
  return {
    objective, kind: 'latency', probe: o.probe, status: missed.length === 0 ? 'met' : 'missed', met: missed.length === 0, measured, bound: o[head]!, unit: 'ms', figures,
    detail: `${head} ${formatDuration(measured)} over ${okMs.length} successful samples (target ${formatDuration(o[head]!)})${others}`,
  };
}
