import { describe, expect, it } from 'vitest';
import { PhaseStatsCollector, phaseOf, phaseSpan } from '../../../src/slo/checkers/index.js';
import type { Operation, PhaseBounds } from '../../../src/domain/history.js';
import { BOUNDS, T0, write } from './history.js';

function stats(ops: Operation[], bounds: PhaseBounds = BOUNDS) {
  const c = new PhaseStatsCollector(bounds);
  for (const op of ops) c.add(op);
  return Object.fromEntries(c.result().map((p) => [p.phase, p]));
}

describe('phases', () => {
  it('puts an instant in exactly one phase: fault includes both its bounds', () => {
    expect([0, 9_999, 10_000, 20_000, 20_001, 99_000].map((t) => phaseOf(T0 + t, BOUNDS))).toEqual(['baseline', 'baseline', 'fault', 'fault', 'recovery', 'recovery']);
    expect(phaseOf(T0 - 1, BOUNDS)).toBe('baseline');
  });

  it('without any injection, the baseline is the whole run and there is no fault or recovery phase', () => {
    const none: PhaseBounds = { ...BOUNDS, faultStart: null, faultEnd: null };
    expect(phaseOf(T0 + 25_000, none)).toBe('baseline');
    expect(phaseSpan('baseline', none)).toEqual({ start: T0, end: T0 + 30_000 });
    expect(phaseSpan('fault', none)).toBeNull();
    expect(phaseSpan('recovery', none)).toBeNull();
  });

  it('a fault never reverted lasts to the end, with no recovery phase', () => {
    const stuck: PhaseBounds = { ...BOUNDS, faultEnd: null };
    expect(phaseOf(T0 + 29_000, stuck)).toBe('fault');
    expect(phaseSpan('fault', stuck)).toEqual({ start: T0 + 10_000, end: T0 + 30_000 });
    expect(phaseSpan('recovery', stuck)).toBeNull();
  });
});

describe('per-phase stats', () => {
  it('counts outcomes, throughput and error rate per phase and for the run', () => {
    const ops = [
      ...Array.from({ length: 100 }, (_, i) => write(`b${i}`, i * 100)), // baseline: 100 ok in 10s
      ...Array.from({ length: 40 }, (_, i) => write(`f${i}`, 10_000 + i * 250, i % 4 === 0 ? 'fail' : i % 4 === 1 ? 'unknown' : i % 4 === 2 ? 'dropped' : 'ok')),
      ...Array.from({ length: 50 }, (_, i) => write(`r${i}`, 20_100 + i * 100)),
    ];
    const s = stats(ops);
    expect(s.baseline).toMatchObject({ operations: 100, ok: 100, throughput: 10, errorRate: 0, start: T0, end: T0 + 10_000 });
    expect(s.fault).toMatchObject({ operations: 40, ok: 10, fail: 10, unknown: 10, dropped: 10, throughput: 1, errorRate: 75 });
    expect(s.recovery).toMatchObject({ operations: 50, ok: 50, throughput: 5, errorRate: 0 });
    expect(s.run).toMatchObject({ operations: 190, ok: 160, throughput: 160 / 30 });
    expect(s.run!.errorRate).toBeCloseTo((30 / 190) * 100, 10);
  });

  it('measures latency from the scheduled start, so a stalled server shows in the percentiles (no coordinated omission)', () => {
    // 1000 writes scheduled 10ms apart in the fault phase; the server stalls 1s for the first 100:
    // they all complete when the stall ends, so each waited from its schedule until then.
    const ops = Array.from({ length: 1000 }, (_, i) => {
      const at = 10_000 + i * 10;
      const latency = i < 100 ? 11_000 - at : 2;
      return write(`k${i}`, at, 'ok', latency);
    });
    const s = stats(ops);
    expect(s.fault!.max).toBe(1000);
    expect(s.fault!.p99).toBeGreaterThanOrEqual(900 * 0.999);
    expect(s.fault!.p50).toBeCloseTo(2, 2);
  });

  it('agrees with exact nearest-rank percentiles within the histogram precision, and never exceeds the max', () => {
    let x = 7;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const latencies = Array.from({ length: 5000 }, () => Math.round(next() ** 3 * 3000 * 1000) / 1000);
    const s = stats(latencies.map((ms, i) => write(`k${i}`, 100, 'ok', ms)));
    const sorted = [...latencies].sort((a, b) => a - b);
    for (const [key, p] of [['p50', 50], ['p90', 90], ['p99', 99], ['p999', 99.9]] as const) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
      expect(Math.abs(s.baseline![key]! - exact), key).toBeLessThanOrEqual(exact * 0.002 + 0.001);
    }
    expect(s.baseline!.max).toBeCloseTo(sorted.at(-1)!, 3); // epoch-ms arithmetic loses the last digits
  });

  it('dropped operations count as errors and have no latency; a phase of only dropped ones has null percentiles', () => {
    const s = stats([write('a', 12_000, 'dropped'), write('b', 13_000, 'dropped')]);
    expect(s.fault).toMatchObject({ operations: 2, dropped: 2, errorRate: 100, p99: null, max: null, throughput: 0 });
  });

  it('an operation straddling a bound belongs to the phase it was scheduled in', () => {
    const s = stats([write('a', 9_990, 'ok', 500), write('b', 19_990, 'unknown', 1000)]);
    expect(s.baseline).toMatchObject({ operations: 1, max: 500 });
    expect(s.fault).toMatchObject({ operations: 1, unknown: 1, max: 1000 });
    expect(s.recovery).toMatchObject({ operations: 0, errorRate: null, p50: null });
  });

  it('an empty history gives zero counts and nulls, and phases that did not happen have no span', () => {
    const s = stats([], { ...BOUNDS, faultStart: null, faultEnd: null });
    expect(s.run).toMatchObject({ operations: 0, throughput: 0, errorRate: null, p99: null });
    expect(s.fault).toMatchObject({ start: null, end: null, throughput: null });
  });
});
