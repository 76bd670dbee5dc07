import { describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/domain/model.js';
import { partitionWithoutEffect } from '../../src/engine/partition-effect.js';

const KUBERNETES_CAVEAT = "the cluster's network plugin may not enforce NetworkPolicy";

type Fault = Journal['faults'][number];
const fault = (over: Partial<Fault> = {}): Fault => ({ name: 'cut', kind: 'partition', injectedAt: 1000, revertedAt: 2000, instant: false, ...over });
const sample = (probe: string, t: number, ok: boolean): Sample => ({ probe, t, ok, ms: 1 });
const passing = [sample('writes', 900, true), sample('writes', 1000, true), sample('reads', 1500, true), sample('writes', 2000, true)];

describe('partitionWithoutEffect', () => {
  it('warns when every sample of every probe passed while the partition held', () => {
    const msg = partitionWithoutEffect([fault()], passing, KUBERNETES_CAVEAT);
    expect(msg).toContain('partition "cut" had no visible effect');
    expect(msg).toContain('every sample of reads, writes passed');
    expect(msg).toContain('may not enforce NetworkPolicy');
  });

  it("adds the driver's caveat only when the driver has one", () => {
    const msg = partitionWithoutEffect([fault()], passing);
    expect(msg).toContain('no visible effect');
    expect(msg).not.toContain('NetworkPolicy');
  });

  it('says nothing when one sample failed inside the window, at either edge included', () => {
    expect(partitionWithoutEffect([fault()], [...passing, sample('reads', 1000, false)], KUBERNETES_CAVEAT)).toBeUndefined();
    expect(partitionWithoutEffect([fault()], [...passing, sample('reads', 2000, false)], KUBERNETES_CAVEAT)).toBeUndefined();
  });

  it('ignores failures before the partition, not after it: an effect can outlast the partition', () => {
    expect(partitionWithoutEffect([fault()], [...passing, sample('writes', 999, false)], KUBERNETES_CAVEAT)).toBeDefined();
    expect(partitionWithoutEffect([fault()], [...passing, sample('writes', 2001, false)], KUBERNETES_CAVEAT)).toBeUndefined();
  });

  it('says nothing when a failover was seen: a count objective whose matching targets changed', () => {
    const masters = (t: number, matched: string[]): Sample => ({ probe: 'masters', t, ok: matched.length <= 1, ms: 1, matched });
    const steady = [masters(800, ['redis-1']), masters(1200, ['redis-1']), masters(2500, ['redis-1'])];
    expect(partitionWithoutEffect([fault()], [...passing, ...steady])).toBeDefined();
    // Every sample passed (one master at each instant), but the master changed: the partition did something.
    expect(partitionWithoutEffect([fault()], [...passing, masters(1200, ['redis-1']), masters(1500, ['redis-1', 'redis-2']), masters(2600, ['redis-2'])])).toBeUndefined();
    // A change before the partition is not its effect.
    expect(partitionWithoutEffect([fault()], [...passing, masters(100, ['redis-2']), ...steady])).toBeDefined();
  });

  it("says nothing when a target's where answer changed", () => {
    expect(partitionWithoutEffect([fault()], passing, KUBERNETES_CAVEAT, true)).toBeUndefined();
  });

  it('says nothing without a sample in the window, for faults never injected or never reverted, and for other kinds', () => {
    expect(partitionWithoutEffect([fault()], [sample('writes', 500, true)], KUBERNETES_CAVEAT)).toBeUndefined();
    expect(partitionWithoutEffect([fault({ injectedAt: null, revertedAt: null })], passing, KUBERNETES_CAVEAT)).toBeUndefined();
    expect(partitionWithoutEffect([fault({ revertedAt: null })], passing, KUBERNETES_CAVEAT)).toBeUndefined();
    expect(partitionWithoutEffect([fault({ kind: 'latency' })], passing, KUBERNETES_CAVEAT)).toBeUndefined();
  });

  it('names only the partitions nobody noticed', () => {
    const faults = [fault({ name: 'a', injectedAt: 1000, revertedAt: 2000 }), fault({ name: 'b', injectedAt: 3000, revertedAt: 4000 })];
    const samples = [...passing, sample('writes', 3500, false)];
    const msg = partitionWithoutEffect(faults, samples, KUBERNETES_CAVEAT)!;
    expect(msg).toContain('partition "a"');
    expect(msg).not.toContain('"b"');
  });
});
