import { describe, expect, it } from 'vitest';
import { evaluate, recoveryPoint } from '../../src/slo/index.js';
import { heldFault, instantFault, objective, series } from './series.js';

const recovery = (within: number, extra: { after?: string; consecutive?: number } = {}) =>
  objective({ recovery: { probe: 'writes', within, ...extra } });

// 10 passes before the fault at t=1000, then the given pattern from t=1000, one sample per 100ms.
const run = (after: string) => [...series('writes', 0, 100, '++++++++++'), ...series('writes', 1000, 100, after)];

describe('recovery', () => {
  it('measures from an instant fault to the start of the first run of N passes', () => {
    const [v] = evaluate({ objectives: [recovery(10_000)], samples: run('-----++++'), faults: [instantFault('kill', 1000)], window: { start: 1000, end: 2000 } });
    expect(v).toMatchObject({ kind: 'recovery', probe: 'writes', met: true, measured: 500, bound: 10_000, unit: 'ms', objective: 'writes recovers within 10s' });
    expect(v!.figures).toMatchObject({ recoveryMs: 500, timeToImpactMs: 0, outageMs: 500, failedSamples: 5 });
    expect(v!.detail).toBe('recovered in 500ms after kill (target 10s)');
  });

  it('is missed when recovery takes longer than `within`', () => {
    const [v] = evaluate({ objectives: [recovery(400)], samples: run('-----++++'), faults: [instantFault('kill', 1000)], window: { start: 1000, end: 2000 } });
    expect(v).toMatchObject({ met: false, measured: 500, bound: 400 });
  });

  it('ignores flapping until a run of N passes', () => {
    // t: 1000 - | 1100 + | 1200 - | 1300 + | 1400 + | 1500 - | 1600 + | 1700 + | 1800 +
    const [v] = evaluate({ objectives: [recovery(10_000)], samples: run('-+-++-+++'), faults: [instantFault('kill', 1000)], window: { start: 1000, end: 2000 } });
    expect(v!.measured).toBe(600);
    expect(v!.figures.failedSamples).toBe(3);
  });

  it('counts a single pass as recovered with consecutive=1', () => {
    const [v] = evaluate({ objectives: [recovery(10_000, { consecutive: 1 })], samples: run('-+-++-+++'), faults: [instantFault('kill', 1000)], window: { start: 1000, end: 2000 } });
    expect(v!.measured).toBe(100);
    expect(v!.figures.outageMs).toBe(100);
  });

  it('reports a probe that never failed as recovered at the first run after the reference', () => {
    const samples = series('writes', 0, 100, '+'.repeat(30));
    const [v] = evaluate({ objectives: [recovery(1000)], samples, faults: [instantFault('kill', 1050)], window: { start: 1050, end: 3000 } });
    expect(v).toMatchObject({ met: true, measured: 50 });
    expect(v!.figures).toMatchObject({ timeToImpactMs: null, outageMs: null, failedSamples: 0 });
    expect(v!.detail).toContain('never failed');
  });

  it('fails with measured=null when it never recovers', () => {
    const [v] = evaluate({ objectives: [recovery(10_000)], samples: run('----++-++'), faults: [instantFault('kill', 1000)], window: { start: 1000, end: 4000 } });
    expect(v).toMatchObject({ met: false, measured: null });
    expect(v!.detail).toMatch(/^did not recover within the 3s observed/);
    expect(v!.figures).toMatchObject({ recoveryMs: null, outageMs: null, timeToImpactMs: 0, failedSamples: 5 });
  });

  it('does not count a run that is cut short by the end of the samples', () => {
    const [v] = evaluate({ objectives: [recovery(10_000)], samples: run('---++'), faults: [instantFault('kill', 1000)], window: { start: 1000, end: 1500 } });
    expect(v!.measured).toBeNull();
  });

  it('fails when there are no samples', () => {
    const [v] = evaluate({ objectives: [recovery(10_000)], samples: [], faults: [instantFault('kill', 1000)], window: { start: 1000, end: 2000 } });
    expect(v).toMatchObject({ met: false, measured: null });
    expect(v!.detail).toContain('no samples after the reference');
  });

  it('measures a held fault from its revert, and impact from its injection', () => {
    // Injected at 1000, reverted at 1500; failing 1200..1600, passing from 1700.
    const samples = [...series('writes', 1000, 100, '++-----++++')];
    const [v] = evaluate({ objectives: [recovery(10_000)], samples, faults: [heldFault('slow', 1000, 1500)], window: { start: 1000, end: 2100 } });
    expect(v!.measured).toBe(200);
    expect(v!.figures).toMatchObject({ timeToImpactMs: 200, outageMs: 500 });
  });

  it('defaults to the fault whose reference instant is latest', () => {
    // The held fault is injected first but reverted (3000) after the kill (2000).
    const faults = [heldFault('slow', 1000, 3000), instantFault('kill', 2000)];
    const samples = series('writes', 1000, 100, '+++++' + '-'.repeat(25) + '++++');
    const [v] = evaluate({ objectives: [recovery(10_000)], samples, faults, window: { start: 1000, end: 5000 } });
    expect(v!.measured).toBe(1000); // recovery point 4000, reference 3000
    expect(v!.detail).toContain('after slow');
  });

  it('uses the fault named by `after`', () => {
    const faults = [instantFault('first', 1000), instantFault('second', 3000)];
    // Down 1000..1400, up 1500..2900, down 3000..3900, up from 4000.
    const samples = series('writes', 1000, 100, '-----' + '+'.repeat(15) + '-'.repeat(10) + '+++');
    const first = evaluate({ objectives: [recovery(10_000, { after: 'first' })], samples, faults, window: { start: 1000, end: 5000 } })[0]!;
    const second = evaluate({ objectives: [recovery(10_000, { after: 'second' })], samples, faults, window: { start: 1000, end: 5000 } })[0]!;
    expect(first.measured).toBe(500);
    expect(first.objective).toBe('writes recovers within 10s of first');
    expect(second.measured).toBe(1000);
    expect(second.figures.outageMs).toBe(3000); // from the first failure after the first injection
  });

  it('fails when the `after` fault never ran or is unknown', () => {
    const faults = [instantFault('kill', 1000), heldFault('slow', null, null)];
    const never = evaluate({ objectives: [recovery(1000, { after: 'slow' })], samples: run('++++'), faults, window: { start: 1000, end: 2000 } })[0]!;
    expect(never).toMatchObject({ met: false, measured: null });
    expect(never.detail).toContain('fault "slow" was never injected');
    const unknown = evaluate({ objectives: [recovery(1000, { after: 'nope' })], samples: run('++++'), faults, window: { start: 1000, end: 2000 } })[0]!;
    expect(unknown.detail).toContain('"nope" is not part of this run');
  });

  it('does not measure from an earlier fault while a later one was never reverted', () => {
    const faults = [instantFault('kill', 1000), heldFault('slow', 1500, null)];
    const [v] = evaluate({ objectives: [recovery(1000)], samples: run('++++'), faults, window: { start: 1000, end: 2000 } });
    expect(v).toMatchObject({ met: false, measured: null });
    expect(v!.detail).toContain('"slow" was never reverted');
  });

  it('fails when no fault was injected', () => {
    const [v] = evaluate({ objectives: [recovery(1000)], samples: run('++++'), faults: [instantFault('kill', null)], window: { start: 1000, end: 2000 } });
    expect(v!.detail).toContain('no fault was injected');
  });

  it('accepts samples in any order and ignores other probes', () => {
    const samples = [...run('-----++++'), ...series('reads', 1000, 100, '---------')].reverse();
    const [v] = evaluate({ objectives: [recovery(10_000)], samples, faults: [instantFault('kill', 1000)], window: { start: 1000, end: 2000 } });
    expect(v!.measured).toBe(500);
  });

  it('recoveryPoint starts runs only at or after the reference', () => {
    const samples = series('writes', 0, 100, '++++');
    expect(recoveryPoint(samples, 150, 2)).toBe(200);
    expect(recoveryPoint(samples, 100, 2)).toBe(100);
    expect(recoveryPoint(samples, 250, 2)).toBeNull();
  });
});
