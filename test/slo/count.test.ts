import { describe, expect, it } from 'vitest';
import { Objective } from '../../src/domain/experiment.js';
import type { Sample } from '../../src/domain/model.js';
import { evaluate } from '../../src/slo/index.js';
import { heldFault, objective, series } from './series.js';

const count = (body: Record<string, unknown>) => Objective.parse({ count: { target: 'redis', where: { exec: { command: ['redis-cli', 'role'], stdout: '^master' } }, ...body } });

/** One count sample per character, every 100ms from `start`: the digit is how many satisfied where ("x": could not count). */
function counts(start: number, pattern: string, holds: (n: number) => boolean): Sample[] {
  return [...pattern].map((c, i) => {
    const t = start + i * 100;
    if (c === 'x') return { probe: 'redis-count', t, ok: false, ms: 5, error: 'could not count target "redis": engine gone' };
    const matched = Array.from({ length: Number(c) }, (_, k) => `redis-${k + 1}`);
    return { probe: 'redis-count', t, ok: holds(matched.length), ms: 5, matched };
  });
}

const faults = [heldFault('cut', 1000, 2000)];
const window = { start: 1000, end: 4000 };

describe('count objectives', () => {
  it('misses with the longest window in which more targets satisfied where than allowed, and who they were', () => {
    // one master, then two from t=1500 to 1900 (5 samples), one again at t=2000, a blip of two at t=2500.
    const samples = counts(0, '111111111111111222221111122111', (n) => n <= 1);
    const [v] = evaluate({ objectives: [count({ atMost: 1 })], samples, faults, window });
    expect(v).toMatchObject({ kind: 'count', status: 'missed', met: false, measured: 2, bound: 1, comparison: '<=', unit: 'targets', target: 'redis', probe: 'redis-count' });
    expect(v!.objective).toBe('redis-count: at most 1 of redis satisfy where');
    expect(v!.figures).toMatchObject({ maxCounted: 2, minCounted: 1, violations: 2, longestViolationMs: 500, longestViolationFromMs: 500, violatedSamples: 7 });
    expect(v!.detail).toBe('2 satisfied where (redis-1, redis-2), for 500ms, at +500ms from the first injection (at most 1 allowed); 2 windows in all');
  });

  it('is met when the bound held at every instant counted; instants that could not be counted are skipped', () => {
    const samples = counts(0, '1111x1111', (n) => n === 1);
    const [v] = evaluate({ objectives: [count({ exactly: 1 })], samples, faults, window });
    expect(v).toMatchObject({ status: 'met', met: true, measured: 1, bound: 1, comparison: '=' });
    expect(v!.detail).toBe('exactly 1 held at all 8 instants counted (between 1 and 1 satisfied where)');
  });

  it('says a violation still open when observation ended', () => {
    const [v] = evaluate({ objectives: [count({ atLeast: 1 })], samples: counts(1000, '11000', (n) => n >= 1), faults, window });
    expect(v).toMatchObject({ status: 'missed', measured: 0, bound: 1, comparison: '>=' });
    expect(v!.detail).toMatch(/^0 satisfied where, for 200ms and still when observation ended, at \+200ms/);
  });

  it('is unknown when no instant could be counted', () => {
    const [v] = evaluate({ objectives: [count({ atMost: 1 })], samples: counts(0, 'xxx', () => true), faults, window });
    expect(v).toMatchObject({ status: 'unknown', met: false, measured: null });
    expect(v!.detail).toMatch(/engine gone/);
  });

  it('makes a recovery objective wait until the count holds again', () => {
    // The probe passes again 300ms after the revert at t=2000; two masters until t=2900.
    const samples = [...series('writes', 0, 100, `${'+'.repeat(20)}---${'+'.repeat(17)}`), ...counts(0, `${'1'.repeat(15)}${'2'.repeat(14)}${'1'.repeat(11)}`, (n) => n <= 1)];
    const recovery = objective({ recovery: { probe: 'writes', within: 5000 } });
    const [alone] = evaluate({ objectives: [recovery], samples, faults, window });
    expect(alone!.measured).toBe(300);
    const [v] = evaluate({ objectives: [recovery, count({ atMost: 1 })], samples, faults, window });
    expect(v).toMatchObject({ status: 'met', measured: 900 });
    expect(v!.detail).toBe('recovered in 900ms after cut (the probe passed after 300ms; redis-count held again only then) (target 5s)');
    const [never] = evaluate({ objectives: [recovery, count({ atMost: 1 })], samples: samples.filter((s) => s.probe === 'writes' || s.t < 2000 || s.matched!.length === 2), faults, window });
    expect(never).toMatchObject({ status: 'missed', measured: null });
    expect(never!.detail).toMatch(/redis-count did not hold again/);
  });

  it('refuses a count without a bound, and "exactly" combined with another bound', () => {
    const problems = (body: Record<string, unknown>) =>
      Objective.safeParse({ count: { target: 'redis', where: { exec: { command: ['true'] } }, ...body } }).error?.issues.map((i) => i.message);
    expect(problems({})).toContain('a count objective needs "atMost", "atLeast" or "exactly"');
    expect(problems({ exactly: 1, atMost: 2 })).toContain('"exactly" cannot be combined with "atMost" or "atLeast"');
  });
});
