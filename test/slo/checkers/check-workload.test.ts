import { describe, expect, it } from 'vitest';
import { HistoryChecker, WorkloadChecker, checkWorkload } from '../../../src/slo/checkers/index.js';
import { BOUNDS, T0, read, write } from './history.js';

describe('checkWorkload', () => {
  it('summarizes phases, durability and the per-second timeline, with lost writes placed by acknowledgement', () => {
    const ops = [write('a', 500), write('b', 1500, 'fail'), write('c', 10_200), write('d', 10_700), write('x', 600, 'ok', 5, 'other')];
    const s = checkWorkload('orders', ops, [read('a', 'present'), read('c', 'absent'), read('d', 'absent'), read('x', 'absent', 'other')], BOUNDS, { readBack: true, history: 'history.jsonl' });
    expect(s.workload).toBe('orders');
    expect(s.history).toBe('history.jsonl');
    expect(s.phases.map((p) => p.phase)).toEqual(['baseline', 'fault', 'recovery', 'run']);
    expect(s.phases[3]).toMatchObject({ operations: 4, ok: 3, fail: 1 });
    expect(s.durability).toMatchObject({ acknowledged: 3, lost: 2, rpoMs: 500 });
    expect(s.timeline.bucketMs).toBe(1000);
    expect(s.timeline.buckets).toEqual([
      { t: T0, ok: 1, errors: 0, lost: 0, meanMs: 5, maxMs: 5 },
      { t: T0 + 1000, ok: 0, errors: 1, lost: 0, meanMs: 5, maxMs: 5 },
      { t: T0 + 10_000, ok: 2, errors: 0, lost: 2, meanMs: 5, maxMs: 5 },
    ]);
  });

  it('does not judge durability for a workload without read-back', () => {
    expect(checkWorkload('orders', [write('a', 1)], [], BOUNDS, { readBack: false }).durability).toBeNull();
  });

  it('gives the same summary when asked twice, whatever comes after', () => {
    const c = new WorkloadChecker('orders', BOUNDS, { readBack: true });
    c.addOperation(write('a', 1));
    c.addFinalRead(read('a', 'absent'));
    const first = c.summary();
    expect(c.summary()).toEqual(first);
    expect(first.timeline.buckets[0]!.lost).toBe(1);
  });
});

describe('HistoryChecker', () => {
  it('routes a shared history to each workload and summarizes them in declaration order', () => {
    const h = new HistoryChecker([{ name: 'orders', readBack: true }, { name: 'cache', readBack: false }], BOUNDS, { history: 'history.jsonl' });
    for (const op of [write('a', 1), write('b', 2, 'ok', 5, 'cache'), write('c', 3, 'ok', 5, 'stray')]) h.addOperation(op);
    h.addFinalRead(read('a', 'absent'));
    h.addFinalRead(read('c', 'absent', 'stray'));
    const [orders, cache, ...rest] = h.summaries();
    expect(rest).toEqual([]);
    expect(orders).toMatchObject({ workload: 'orders', history: 'history.jsonl', durability: { acknowledged: 1, lost: 1 } });
    expect(cache).toMatchObject({ workload: 'cache', durability: null });
    expect(cache!.phases[3]!.operations).toBe(1);
  });
});
