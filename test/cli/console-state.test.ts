// The console's objectives "as they stand", judged with the run's own SLO maths on the data so far.
import { describe, expect, it } from 'vitest';
import { ConsoleState } from '../../src/cli/console-state.js';

const T0 = 1_000_000;
const plan = {
  experiment: 'x',
  runId: 'r',
  driver: 'process',
  startedAt: T0,
  faults: [{ name: 'pause-1', for: 5_000 }],
  objectives: [
    { availability: { probe: 'writes', atLeast: 50 } },
    { recovery: { probe: 'writes', within: 3_000, consecutive: 1 } },
    { durability: { workload: 'kv', lostAtMost: 0 } },
  ],
} as unknown as ConstructorParameters<typeof ConsoleState>[0];

const sample = (t: number, ok: boolean) => ({ t: T0 + t, type: 'sample' as const, sample: { probe: 'writes', t: T0 + t, ok, ms: 5 } });

describe('ConsoleState', () => {
  it('measures nothing before the first fault; workload objectives wait for the end', () => {
    const s = new ConsoleState(plan);
    s.observe(sample(100, true));
    expect(s.standing(T0 + 200).map((o) => o.state)).toEqual(['waiting', 'waiting', 'at-end']);
  });

  it('availability at risk while the probe fails, recovery measured once the fault is over', () => {
    const s = new ConsoleState(plan);
    s.observe({ t: T0 + 1_000, type: 'phase', phase: 'inject' });
    s.observe({ t: T0 + 1_000, type: 'inject', fault: 'pause-1', kind: 'pause', target: 'primary', ok: true });
    for (let t = 1_000; t < 2_000; t += 100) s.observe(sample(t, true));
    s.observe(sample(2_000, false));
    const during = s.standing(T0 + 2_100);
    expect(during[0]).toMatchObject({ state: 'at-risk' });
    expect(during[1]).toMatchObject({ state: 'at-risk', value: '—' });
    s.observe({ t: T0 + 6_000, type: 'revert', fault: 'pause-1', kind: 'pause', target: 'primary', ok: true });
    s.observe(sample(6_100, true));
    const after = s.standing(T0 + 6_200);
    expect(after[0]).toMatchObject({ state: 'met-so-far' });
    expect(after[1]!.state).toMatch(/met-so-far|missed/);
    expect(after[1]!.value).not.toBe('—');
    // Every event became a numbered message, in order, serialized once.
    expect(s.messages.map((m) => m.id)).toEqual(s.messages.map((_, i) => i + 1));
  });
});

describe('ConsoleState: workloads', () => {
  it('keeps each workload\'s intervals in order, as messages of their own', () => {
    const s = new ConsoleState(plan);
    const interval = (workload: string, start: number, ok: number, failed: number) => ({
      t: T0 + start + 1_000,
      type: 'workload' as const,
      interval: { workload, start: T0 + start, end: T0 + start + 1_000, ok, failed, okPerSecond: ok, failedPerSecond: failed, p50: ok ? 2 : null, p99: ok ? 9 : null },
    });
    s.observe(interval('kv', 0, 50, 0));
    s.observe(interval('cache', 0, 10, 0));
    s.observe(interval('kv', 1_000, 0, 50));
    expect([...s.workloads.keys()]).toEqual(['kv', 'cache']);
    expect(s.workloads.get('kv')!.map((w) => [w.okPerSecond, w.failedPerSecond, w.p99])).toEqual([[50, 0, 9], [0, 50, null]]);
    expect(s.messages.map((m) => m.event)).toEqual(['workload', 'workload', 'workload']);
    expect(JSON.parse(s.messages[2]!.data)).toMatchObject({ workload: 'kv', failed: 50 });
    // Judged at the end, not from the curves.
    expect(s.standing(T0 + 3_000)[2]).toMatchObject({ state: 'at-end' });
  });
});

describe('ConsoleState: a human detection objective', () => {
  it('waits for the first Detected mark after the injection, then shows its time to detect', () => {
    const s = new ConsoleState({ ...plan, objectives: [{ detection: { by: 'human', within: 60_000 } }] } as typeof plan);
    expect(s.standing(T0 + 500)[0]).toMatchObject({ objective: 'a person notices within 1m', state: 'waiting' });
    s.observe({ t: T0 + 1_000, type: 'phase', phase: 'inject' });
    s.observe({ t: T0 + 1_000, type: 'inject', fault: 'pause-1', kind: 'pause', target: 'primary', ok: true });
    expect(s.standing(T0 + 30_000)[0]).toMatchObject({ state: 'waiting', value: '—', bound: '1m' });
    s.observe({ t: T0 + 43_000, type: 'detected', by: 'alice', via: 'dashboard' });
    expect(s.standing(T0 + 50_000)[0]).toMatchObject({ state: 'met-so-far', value: '42s' });
  });

  it('missed once within has passed with no mark', () => {
    const s = new ConsoleState({ ...plan, objectives: [{ detection: { by: 'human', within: 60_000 } }] } as typeof plan);
    s.observe({ t: T0 + 1_000, type: 'phase', phase: 'inject' });
    s.observe({ t: T0 + 1_000, type: 'inject', fault: 'pause-1', kind: 'pause', target: 'primary', ok: true });
    expect(s.standing(T0 + 62_000)[0]).toMatchObject({ state: 'missed' });
  });
});
