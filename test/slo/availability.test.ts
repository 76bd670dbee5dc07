import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/slo/index.js';
import { instantFault, objective, series } from './series.js';

const availability = (atLeast: number) => objective({ availability: { probe: 'writes', atLeast } });
const faults = [instantFault('kill', 1000)];

describe('availability', () => {
  it('is the share of passing samples in the window, in percent', () => {
    const samples = series('writes', 1000, 100, '++++-+++++'); // 9 of 10
    const [v] = evaluate({ objectives: [availability(90)], samples, faults, window: { start: 1000, end: 1900 } });
    expect(v).toMatchObject({ kind: 'availability', met: true, measured: 90, bound: 90, unit: '%', objective: 'writes available >= 90%' });
    expect(v!.detail).toBe('90% available, 9 of 10 samples passed (target >= 90%)');
    expect(v!.figures).toEqual({ samples: 10, passed: 9, failed: 1 });
  });

  it('is missed below atLeast', () => {
    const samples = series('writes', 1000, 100, '++--');
    const [v] = evaluate({ objectives: [availability(99.9)], samples, faults, window: { start: 1000, end: 1300 } });
    expect(v).toMatchObject({ met: false, measured: 50, objective: 'writes available >= 99.9%' });
  });

  it('includes both window boundaries and nothing outside them', () => {
    // t = 900 (-), 1000 (+), 1100 (-), 1200 (+), 1300 (-)
    const samples = series('writes', 900, 100, '-+-+-');
    const [v] = evaluate({ objectives: [availability(0)], samples, faults, window: { start: 1000, end: 1200 } });
    expect(v!.figures).toEqual({ samples: 3, passed: 2, failed: 1 });
    expect(v!.measured).toBeCloseTo(66.667, 2);
    expect(v!.detail).toContain('66.66%'); // never rounded up
  });

  it('fails with measured=null when there are no samples in the window', () => {
    const [v] = evaluate({ objectives: [availability(0)], samples: series('writes', 0, 100, '+++'), faults, window: { start: 1000, end: 2000 } });
    expect(v).toMatchObject({ met: false, measured: null });
    expect(v!.detail).toMatch(/^no samples of writes/);
  });
});
