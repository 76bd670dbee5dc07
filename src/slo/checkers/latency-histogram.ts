// Latency percentiles from an HDR histogram (hdr-histogram-js): constant memory and O(1) per
// value, so a million operations are never sorted. Values are recorded in microseconds with three
// significant digits; the exact maximum is kept beside it so no percentile is reported above it.
import { build, type Histogram } from 'hdr-histogram-js';
import { PERCENTILE_KEYS, PERCENTILE_OF, type PercentileKey } from '../percentile.js';

const US_PER_MS = 1000;

export class LatencyHistogram {
  private readonly h: Histogram = build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, autoResize: true });
  private maxMs = 0;
  count = 0;

  record(ms: number): void {
    const value = Math.max(0, ms);
    this.h.recordValue(Math.max(1, Math.round(value * US_PER_MS)));
    if (value > this.maxMs) this.maxMs = value;
    this.count++;
  }

  /** Adds every value `other` recorded. */
  add(other: LatencyHistogram): void {
    if (other.count === 0) return;
    this.h.add(other.h);
    this.maxMs = Math.max(this.maxMs, other.maxMs);
    this.count += other.count;
  }

  /** Every percentile key in ms (max exact), all null when nothing was recorded. */
  percentiles(): Record<PercentileKey, number | null> {
    const out = {} as Record<PercentileKey, number | null>;
    for (const k of PERCENTILE_KEYS) {
      if (this.count === 0) out[k] = null;
      else if (k === 'max') out[k] = this.maxMs;
      else out[k] = Math.min(this.maxMs, this.h.getValueAtPercentile(PERCENTILE_OF[k]) / US_PER_MS);
    }
    return out;
  }
}
