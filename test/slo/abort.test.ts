import { describe, expect, it } from 'vitest';
import { failingFor, objectiveIrrecoverable } from '../../src/slo/index.js';
import { heldFault, instantFault, objective, series } from './series.js';

describe('failingFor', () => {
  it('is 0 without samples or when the last sample passed', () => {
    expect(failingFor([], 5000)).toBe(0);
    expect(failingFor(series('a', 0, 100, '--+'), 5000)).toBe(0);
  });

  it('measures from the first sample of the trailing failing streak', () => {
    expect(failingFor(series('a', 0, 100, '+-+---'), 650)).toBe(350);
    expect(failingFor(series('a', 0, 100, '---'), 250)).toBe(250);
    expect(failingFor(series('a', 0, 100, '+-+---').reverse(), 650)).toBe(350);
  });
});

describe('objectiveIrrecoverable', () => {
  const recovery = objective({ recovery: { probe: 'w', within: 500 } });
  const faults = [instantFault('kill', 1000)];
  const window = { start: 1000, end: 5000 };

  it('recovery: undecided until `within` has passed', () => {
    expect(objectiveIrrecoverable(recovery, series('w', 1000, 100, '-----'), faults, window, 1450, 100)).toBe(false);
  });

  it('recovery: lost when nothing recovered by the deadline', () => {
    expect(objectiveIrrecoverable(recovery, series('w', 1000, 100, '-------'), faults, window, 1650, 100)).toBe(true);
    // A passing run that only starts after the deadline cannot make it either.
    expect(objectiveIrrecoverable(recovery, series('w', 1000, 100, '-------++'), faults, window, 1850, 100)).toBe(true);
  });

  it('recovery: still possible while a run that started before the deadline is growing', () => {
    expect(objectiveIrrecoverable(recovery, series('w', 1000, 100, '-----++'), faults, window, 1650, 100)).toBe(false);
  });

  it('recovery: met runs are never irrecoverable', () => {
    expect(objectiveIrrecoverable(recovery, series('w', 1000, 100, '-+++----'), faults, window, 2000, 100)).toBe(false);
  });

  it('recovery: undecided while the reference fault has not been reverted', () => {
    const held = [heldFault('slow', 1000, null)];
    expect(objectiveIrrecoverable(recovery, series('w', 1000, 100, '----------'), held, window, 9000, 100)).toBe(false);
  });

  it('recovery: undecided by default while a later fault is still to come', () => {
    const two = [instantFault('kill', 1000), instantFault('kill-again', null)];
    expect(objectiveIrrecoverable(recovery, series('w', 1000, 100, '----------'), two, window, 9000, 100)).toBe(false);
    const named = objective({ recovery: { probe: 'w', within: 500, after: 'kill' } });
    expect(objectiveIrrecoverable(named, series('w', 1000, 100, '----------'), two, window, 9000, 100)).toBe(true);
  });

  it('availability: lost only when even all remaining samples passing cannot reach atLeast', () => {
    const o = objective({ availability: { probe: 'w', atLeast: 90 } });
    const samples = series('w', 1000, 100, '+++++-----'); // 5 of 10 so far, up to t=1900
    // 5 samples to come (1950 -> 2450): best 10/15 = 66.7%.
    expect(objectiveIrrecoverable(o, samples, faults, { start: 1000, end: 2450 }, 1950, 100)).toBe(true);
    // 50 samples to come: best 55/60 = 91.7%.
    expect(objectiveIrrecoverable(o, samples, faults, { start: 1000, end: 6950 }, 1950, 100)).toBe(false);
    expect(objectiveIrrecoverable(o, [], faults, { start: 1000, end: 2000 }, 1950, 100)).toBe(false);
  });

  it('latency: lost when a max bound is exceeded, not while fast samples can still pull a percentile down', () => {
    const samples = series('w', 1000, 100, '++++', 400);
    const max = objective({ latency: { probe: 'w', max: 300 } });
    const p50 = objective({ latency: { probe: 'w', p50: 300 } });
    expect(objectiveIrrecoverable(max, samples, faults, window, 1400, 100)).toBe(true);
    expect(objectiveIrrecoverable(p50, samples, faults, window, 1400, 100)).toBe(false);
    expect(objectiveIrrecoverable(p50, samples, faults, { start: 1000, end: 1500 }, 1400, 100)).toBe(true);
    // 4 slow samples + 4 instant ones to come: the p50 is the 4th value, a 0ms one; p90 stays slow.
    const both = objective({ latency: { probe: 'w', p50: 300, p90: 300 } });
    expect(objectiveIrrecoverable(p50, samples, faults, { start: 1000, end: 1800 }, 1400, 100)).toBe(false);
    expect(objectiveIrrecoverable(both, samples, faults, { start: 1000, end: 1800 }, 1400, 100)).toBe(true);
    // A long window with a short interval stays cheap (no array of remaining samples is built).
    expect(objectiveIrrecoverable(p50, samples, faults, { start: 1000, end: 1400 + 3_600_000 }, 1400, 10)).toBe(false);
  });
});
