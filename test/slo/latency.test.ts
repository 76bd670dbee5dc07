import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/model.js';
import { evaluate } from '../../src/slo/index.js';
import { instantFault, objective, series } from './series.js';

const faults = [instantFault('kill', 0)];
const window = { start: 0, end: 100_000 };
// 100 successful samples taking 1..100ms, plus failures whose (timeout) duration must be ignored.
const samples: Sample[] = [
  ...Array.from({ length: 100 }, (_, i) => ({ probe: 'writes', t: i * 100, ok: true, ms: i + 1 })),
  ...series('writes', 50, 100, '-----'),
];
const latency = (bounds: Partial<Record<'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max', number>>) => objective({ latency: { probe: 'writes', ...bounds } });

describe('latency', () => {
  it('compares one percentile with its bound', () => {
    const [v] = evaluate({ objectives: [latency({ p99: 300 })], samples, faults, window });
    expect(v).toMatchObject({ kind: 'latency', objective: 'writes p99 latency <= 300ms', met: true, measured: 99, bound: 300, unit: 'ms' });
    expect(v!.detail).toBe('p99 99ms over 100 successful samples (target 300ms)');
    expect(v!.figures).toMatchObject({ p50: 50, p90: 90, p95: 95, p99: 99, p999: 100, max: 100, successful: 100, samples: 105 });
  });

  it('is met only when every bound is met, and headlines the worst miss', () => {
    const [v] = evaluate({ objectives: [latency({ p50: 100, p90: 80, max: 50 })], samples, faults, window });
    expect(v!.objective).toBe('writes latency p50 <= 100ms, p90 <= 80ms, max <= 50ms');
    expect(v).toMatchObject({ met: false, measured: 100, bound: 50 }); // max is 2x over, p90 only 1.125x
    expect(v!.detail).toContain('2 of 3 bounds missed');
  });

  it('headlines the bound with the least headroom when all are met', () => {
    const [v] = evaluate({ objectives: [latency({ p50: 1000, p99: 100 })], samples, faults, window });
    expect(v).toMatchObject({ met: true, measured: 99, bound: 100 });
  });

  it('only looks at samples in the window', () => {
    const [v] = evaluate({ objectives: [latency({ max: 10 })], samples, faults, window: { start: 0, end: 900 } });
    expect(v).toMatchObject({ met: true, measured: 10 });
  });

  it('fails with measured=null without successful samples', () => {
    const [v] = evaluate({ objectives: [latency({ p95: 10 })], samples: series('writes', 0, 10, '---'), faults, window });
    expect(v).toMatchObject({ met: false, measured: null, bound: 10 });
    expect(v!.detail).toMatch(/^no successful samples/);
  });

  it('keeps the objectives order across kinds', () => {
    const verdicts = evaluate({
      objectives: [latency({ p50: 10 }), objective({ availability: { probe: 'writes', atLeast: 1 } }), objective({ recovery: { probe: 'writes', within: 1000, consecutive: 1 } })],
      samples, faults, window,
    });
    expect(verdicts.map((v) => v.kind)).toEqual(['latency', 'availability', 'recovery']);
  });
});
