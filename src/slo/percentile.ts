// Nearest-rank percentiles: every reported value is one that was actually observed, so a p99
// of 412ms means some request really took 412ms (no interpolation between two samples).
import type { Sample } from '../domain/model.js';

export const PERCENTILE_KEYS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;
export type PercentileKey = (typeof PERCENTILE_KEYS)[number];

/** The percentile (0-100) each key stands for. */
export const PERCENTILE_OF: Record<PercentileKey, number> = { p50: 50, p90: 90, p95: 95, p99: 99, p999: 99.9, max: 100 };

/** Nearest-rank percentile of `values` for p in [0, 100]; null when there are no values. p=0 gives the minimum. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return pickRank(sorted, p);
}

/** Nearest-rank on an already ascending array, so callers asking for several ranks sort once. */
export function pickRank(sorted: readonly number[], p: number): number | null {
  return sorted.length === 0 ? null : sorted[nearestRank(sorted.length, p) - 1]!;
}

/** The 1-based nearest rank of percentile p among `count` ordered values (count >= 1). */
export function nearestRank(count: number, p: number): number {
  const clamped = Math.min(100, Math.max(0, p));
  // The epsilon keeps 99.9% of 1000 at rank 999 despite 99.9/100*1000 = 999.0000000000001.
  return Math.min(count, Math.max(1, Math.ceil((clamped / 100) * count - 1e-9)));
}

export interface SampleSummary {
  count: number;
  ok: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** Counts over all samples; latency percentiles over the successful ones only (a failure's `ms` is often a timeout). */
export function summarize(samples: readonly Sample[]): SampleSummary {
  const okMs = samples.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
  const summary: SampleSummary = { count: samples.length, ok: okMs.length, p50: null, p90: null, p95: null, p99: null, p999: null, max: null };
  for (const key of PERCENTILE_KEYS) summary[key] = pickRank(okMs, PERCENTILE_OF[key]);
  return summary;
}
