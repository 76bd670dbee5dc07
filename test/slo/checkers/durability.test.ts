import { describe, expect, it } from 'vitest';
import { DurabilityCollector, LOST_SAMPLE_SIZE } from '../../../src/slo/checkers/index.js';
import type { FinalRead, Operation } from '../../../src/domain/history.js';
import { T0, read, write } from './history.js';

function durability(ops: Operation[], reads: FinalRead[]) {
  const c = new DurabilityCollector();
  for (const op of ops) c.addOperation(op);
  for (const r of reads) c.addFinalRead(r);
  return c.result();
}

describe('durability (set-full)', () => {
  it('counts an acknowledged write absent when read back as lost, with its acknowledgement time', () => {
    const d = durability([write('a', 1000), write('b', 2000), write('c', 3000)], [read('a', 'present'), read('b', 'absent'), read('c', 'present')]);
    expect(d).toMatchObject({ writes: 3, acknowledged: 3, lost: 1, unknown: 0, recovered: 0, neverRead: 0, firstLostAck: T0 + 2005, lastLostAck: T0 + 2005, rpoMs: 0 });
    expect(d.lostSample).toEqual([{ key: 'b', ackAt: T0 + 2005 }]);
  });

  it('counts an unknown write present when read back as recovered, and an absent one as neither lost nor recovered', () => {
    const d = durability([write('a', 1000, 'unknown'), write('b', 2000, 'unknown')], [read('a', 'present'), read('b', 'absent')]);
    expect(d).toMatchObject({ acknowledged: 0, lost: 0, unknown: 2, recovered: 1, neverRead: 0 });
  });

  it('counts an acknowledged write whose read failed, or that was never read, as never-read with the reason', () => {
    const d = durability([write('a', 1000), write('b', 2000), write('c', 3000)], [read('a', 'error'), read('c', 'present')]);
    expect(d).toMatchObject({ acknowledged: 3, lost: 0, neverRead: 2, neverReadReason: 'connect ECONNREFUSED 127.0.0.1:7001' });
    expect(durability([write('a', 1000)], [])).toMatchObject({ neverRead: 1, neverReadReason: 'not read back' });
  });

  it('ignores failed and dropped writes (never applied) except in the count of writes, and ignores reads', () => {
    const readOp: Operation = { ...write('a', 500), type: 'read' };
    const d = durability([write('f', 1000, 'fail'), write('d', 2000, 'dropped'), readOp], [read('f', 'absent'), read('d', 'absent')]);
    expect(d).toMatchObject({ writes: 2, acknowledged: 0, lost: 0, unknown: 0, neverRead: 0 });
  });

  it('gives the lost window and RPO as the span between the first and last lost acknowledgement', () => {
    const ops = [write('a', 1000), write('b', 4000), write('c', 5000), write('d', 7500), write('e', 9000)];
    const d = durability(ops, [read('a', 'present'), read('b', 'absent'), read('c', 'present'), read('d', 'absent'), read('e', 'present')]);
    expect(d).toMatchObject({ lost: 2, firstLostAck: T0 + 4005, lastLostAck: T0 + 7505, rpoMs: 3500 });
  });

  it('is the same whatever the order of operations and reads', () => {
    const ops = [write('a', 1000), write('b', 2000, 'unknown'), write('c', 3000)];
    const reads = [read('a', 'absent'), read('b', 'present'), read('c', 'error')];
    const expected = durability(ops, reads);
    const c = new DurabilityCollector();
    for (const r of [...reads].reverse()) c.addFinalRead(r);
    for (const op of [...ops].reverse()) c.addOperation(op);
    expect(c.result()).toEqual(expected);
  });

  it('joins a read to its write by seq when the read names it, and by key when it does not or the seq does not match', () => {
    const ops = [write('a', 1000), write('b', 2000), write('c', 3000)];
    const bySeq = (op: Operation, found: FinalRead['found']) => ({ ...read(op.key, found), seq: op.seq });
    const reads = [bySeq(ops[0]!, 'absent'), { ...read('b', 'present'), seq: ops[2]!.seq }, read('c', 'absent')];
    const d = durability(ops, reads);
    expect(d).toMatchObject({ acknowledged: 3, lost: 2, neverRead: 0 });
    expect(d.lostSample.map((l) => l.key)).toEqual(['a', 'c']);
    // Same figures whether the reads name their seq or not.
    expect(durability(ops, [read('a', 'absent'), read('b', 'present'), read('c', 'absent')])).toEqual(d);
  });

  it('samples at most 20 lost writes, spread from the first to the last acknowledgement', () => {
    const ops = Array.from({ length: 1000 }, (_, i) => write(`k${i}`, i * 10));
    const d = durability(ops, ops.map((o) => read(o.key, 'absent')));
    expect(d.lost).toBe(1000);
    expect(d.lostSample).toHaveLength(LOST_SAMPLE_SIZE);
    expect(d.lostSample[0]).toEqual({ key: 'k0', ackAt: T0 + 5 });
    expect(d.lostSample.at(-1)).toEqual({ key: 'k999', ackAt: T0 + 9995 });
    const times = d.lostSample.map((l) => l.ackAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('reports nothing lost for an empty history', () => {
    expect(durability([], [])).toEqual({ writes: 0, acknowledged: 0, lost: 0, unknown: 0, recovered: 0, neverRead: 0, neverReadReason: null, lostSample: [], firstLostAck: null, lastLostAck: null, rpoMs: 0 });
  });

  it('property: every acknowledged write is exactly one of kept, lost or never-read', () => {
    // A small deterministic generator: a linear congruential sequence picks each outcome and read.
    let x = 42;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 50; round++) {
      const ops: Operation[] = [];
      const reads: FinalRead[] = [];
      const n = Math.floor(next() * 200);
      for (let i = 0; i < n; i++) {
        const outcome = (['ok', 'ok', 'ok', 'fail', 'unknown', 'dropped'] as const)[Math.floor(next() * 6)]!;
        ops.push(write(`r${round}-${i}`, i, outcome));
        const r = next();
        if (r < 0.9) reads.push(read(`r${round}-${i}`, r < 0.6 ? 'present' : r < 0.8 ? 'absent' : 'error'));
      }
      const d = durability(ops, reads);
      const acked = ops.filter((o) => o.outcome === 'ok');
      const kept = acked.filter((o) => reads.find((r) => r.key === o.key)?.found === 'present').length;
      expect(d.acknowledged).toBe(acked.length);
      expect(kept + d.lost + d.neverRead).toBe(d.acknowledged);
      expect(d.recovered).toBeLessThanOrEqual(d.unknown);
      expect(d.rpoMs).toBeGreaterThanOrEqual(0);
    }
  });
});
