// The live figures of one workload per interval: counted by completion, latency from when each
// operation was due, nearest-rank percentiles, and a fresh interval after each take.
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/domain/history.js';
import { IntervalMeter } from '../../src/workloads/interval-meter.js';

const op = (seq: number, outcome: Operation['outcome'], scheduledAt: number, completedAt: number | null): Operation => ({
  workload: 'kv',
  seq,
  type: 'write',
  key: `k${seq}`,
  value: `v${seq}`,
  scheduledAt,
  startedAt: completedAt === null ? null : scheduledAt,
  completedAt,
  outcome,
});

describe('IntervalMeter', () => {
  it('counts ok and failed per second and takes p50/p99 of the interval', () => {
    const m = new IntervalMeter('kv', 1_000);
    for (let i = 1; i <= 98; i++) m.add(op(i, 'ok', 1_000 + i, 1_000 + i + i)); // latencies 1..98 ms, and 500 below
    m.add(op(99, 'unknown', 1_100, 1_600)); // timed out after 500 ms: failed, with its latency
    m.add(op(100, 'dropped', 1_200, null)); // never started: failed, no latency
    const first = m.take(3_000);
    expect(first).toEqual({ workload: 'kv', start: 1_000, end: 3_000, ok: 98, failed: 2, okPerSecond: 49, failedPerSecond: 1, p50: 50, p99: 500 });
    expect(m.worthTaking(3_000)).toBe(false);
    const second = m.take(4_000);
    expect(second).toMatchObject({ start: 3_000, end: 4_000, ok: 0, failed: 0, p50: null, p99: null });
  });
});
