import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../src/slo/index.js';
import { series } from './series.js';

describe('percentile (nearest rank)', () => {
  it('is null without values', () => {
    expect(percentile([], 50)).toBeNull();
  });

  it('returns the only value for any p when there is one value', () => {
    for (const p of [0, 50, 99, 99.9, 100]) expect(percentile([7], p)).toBe(7);
  });

  it('splits two values at the median', () => {
    expect(percentile([20, 10], 50)).toBe(10);
    expect(percentile([20, 10], 50.1)).toBe(20);
    expect(percentile([20, 10], 99)).toBe(20);
    expect(percentile([20, 10], 0)).toBe(10);
  });

  it('picks observed values on 1..100', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted on purpose
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 99.9)).toBe(100);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 1)).toBe(1);
  });

  it('does not round 99.9% of 1000 values up a rank', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(values, 99.9)).toBe(999);
  });

  it('does not mutate its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('counts all samples and measures only successful ones', () => {
    const samples = [...series('a', 0, 10, '++-+', 5), { probe: 'a', t: 100, ok: true, ms: 50 }];
    expect(summarize(samples)).toEqual({ count: 5, ok: 4, p50: 5, p90: 50, p95: 50, p99: 50, p999: 50, max: 50 });
  });

  it('has null percentiles when nothing succeeded', () => {
    expect(summarize(series('a', 0, 10, '--'))).toMatchObject({ count: 2, ok: 0, p50: null, max: null });
  });
});
