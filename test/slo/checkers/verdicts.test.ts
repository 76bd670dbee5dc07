import { describe, expect, it } from 'vitest';
import { checkWorkload } from '../../../src/slo/checkers/index.js';
import { Objective, type ObjectiveSpec } from '../../../src/domain/experiment.js';
import type { FinalRead, Operation, PhaseBounds } from '../../../src/domain/history.js';
import type { WorkloadSummary } from '../../../src/domain/workload-summary.js';
import { evaluate } from '../../../src/slo/index.js';
import { BOUNDS, read, write } from './history.js';

const objective = (o: unknown): ObjectiveSpec => Objective.parse(o);

function verdict(o: unknown, workloads: WorkloadSummary[] | undefined) {
  const [v] = evaluate({ objectives: [objective(o)], samples: [], faults: [], window: { start: BOUNDS.faultStart!, end: BOUNDS.end }, ...(workloads ? { workloads } : {}) });
  return v!;
}

function summary(ops: Operation[], reads: FinalRead[], bounds: PhaseBounds = BOUNDS, readBack = true) {
  return [checkWorkload('orders', ops, reads, bounds, { readBack })];
}

// Writes every 500ms, k0..k59; three of the fault phase's writes are lost (k21 at +10.5s, k24 at +12s, k29 at +14.5s).
const ops = Array.from({ length: 60 }, (_, i) => write(`k${i}`, i * 500));
const lostKeys = new Set(['k21', 'k24', 'k29']);
const reads = ops.map((o) => read(o.key, lostKeys.has(o.key) ? 'absent' : 'present'));

describe('durability objective', () => {
  it('is missed when more acknowledged writes were lost than allowed, with the lost window from the first injection', () => {
    const v = verdict({ durability: { workload: 'orders', lostAtMost: 2 } }, summary(ops, reads));
    expect(v).toMatchObject({ kind: 'durability', workload: 'orders', status: 'missed', met: false, measured: 3, bound: 2, unit: 'writes', objective: 'orders loses at most 2 acknowledged writes' });
    expect(v.figures).toMatchObject({ acknowledged: 60, lost: 3, unknown: 0, recovered: 0, neverRead: 0, lostWindowStartMs: 505, lostWindowEndMs: 4505, rpoMs: 4000 });
    expect(v.lostSample!.map((l) => l.key)).toEqual(['k21', 'k24', 'k29']);
    expect(v.detail).toBe('3 of 60 acknowledged writes lost, acknowledged +505ms..+4.50s from the first injection; 0 unknown, 0 of them recovered (target <= 2)');
  });

  it('is met when nothing was lost and every acknowledged write was read back', () => {
    const v = verdict({ durability: { workload: 'orders' } }, summary(ops, ops.map((o) => read(o.key, 'present'))));
    expect(v).toMatchObject({ status: 'met', met: true, measured: 0, bound: 0 });
  });

  it('is unknown, never met, when an acknowledged write could not be read back', () => {
    const failing = ops.map((o) => read(o.key, o.key === 'k3' ? 'error' : 'present'));
    const v = verdict({ durability: { workload: 'orders' } }, summary(ops, failing));
    expect(v).toMatchObject({ status: 'unknown', met: false, measured: 0 });
    expect(v.detail).toBe('could not be judged: 1 of 60 acknowledged writes could not be read back (connect ECONNREFUSED 127.0.0.1:7001), so writes may have been lost unseen');
  });

  it('is missed, not unknown, when the writes read back already lost more than allowed', () => {
    const v = verdict({ durability: { workload: 'orders' } }, summary(ops, reads.map((r) => (r.key === 'k3' ? read('k3', 'error') : r))));
    expect(v).toMatchObject({ status: 'missed', measured: 3 });
    expect(v.figures.neverRead).toBe(1);
  });

  it('is unknown when nothing was acknowledged, when there is no history, or no read-back', () => {
    expect(verdict({ durability: { workload: 'orders' } }, summary([write('a', 1, 'unknown')], [read('a', 'present')]))).toMatchObject({ status: 'unknown', detail: 'could not be judged: no write was acknowledged, so nothing was shown to be durable' });
    expect(verdict({ durability: { workload: 'orders' } }, undefined)).toMatchObject({ status: 'unknown', detail: 'could not be judged: no history was recorded for workload "orders"' });
    expect(verdict({ durability: { workload: 'orders' } }, summary(ops, [], BOUNDS, false))).toMatchObject({ status: 'unknown', detail: 'could not be judged: workload "orders" has no read, so nothing was read back' });
  });
});

describe('rpo objective', () => {
  it('measures the span between the first and last lost acknowledgement', () => {
    const v = verdict({ rpo: { workload: 'orders', atMost: '1s' } }, summary(ops, reads));
    expect(v).toMatchObject({ kind: 'rpo', status: 'missed', measured: 4000, bound: 1000, unit: 'ms', objective: 'orders RPO <= 1s' });
    expect(v.detail).toBe('RPO 4s: 3 acknowledged writes lost over 4s, acknowledged +505ms..+4.50s from the first injection (target 1s)');
    expect(verdict({ rpo: { workload: 'orders', atMost: '5s' } }, summary(ops, reads))).toMatchObject({ status: 'met', measured: 4000 });
  });

  it('is 0 and met when nothing was lost, and unknown when writes could not be read back', () => {
    const all = ops.map((o) => read(o.key, 'present'));
    expect(verdict({ rpo: { workload: 'orders', atMost: '0s' } }, summary(ops, all))).toMatchObject({ status: 'met', measured: 0 });
    expect(verdict({ rpo: { workload: 'orders', atMost: '1s' } }, summary(ops, all.slice(1)))).toMatchObject({ status: 'unknown', measured: 0 });
  });

  it('places the lost window from the start of the baseline when nothing was injected', () => {
    const none = { ...BOUNDS, faultStart: null, faultEnd: null };
    const v = verdict({ rpo: { workload: 'orders', atMost: '10s' } }, summary(ops, reads, none));
    expect(v.figures).toMatchObject({ lostWindowStartMs: 10_505, lostWindowEndMs: 14_505 });
    expect(v.detail).toContain('from the start of the baseline');
  });
});

describe('workload latency and error rate objectives', () => {
  const mixed = [
    ...Array.from({ length: 20 }, (_, i) => write(`b${i}`, i * 400, 'ok', 10)),
    ...Array.from({ length: 20 }, (_, i) => write(`f${i}`, 10_000 + i * 400, i < 2 ? 'unknown' : 'ok', i < 2 ? 1000 : 300)),
  ];

  it('judges the named phase, latency measured from the scheduled start', () => {
    const fault = verdict({ latency: { workload: 'orders', p99: '250ms', during: 'fault' } }, summary(mixed, []));
    expect(fault).toMatchObject({ kind: 'latency', workload: 'orders', during: 'fault', status: 'missed', measured: 1000, bound: 250, objective: 'orders p99 latency <= 250ms during fault' });
    const baseline = verdict({ latency: { workload: 'orders', p99: '250ms', during: 'baseline' } }, summary(mixed, []));
    expect(baseline).toMatchObject({ status: 'met', measured: 10 });
    expect(verdict({ latency: { workload: 'orders', p50: '400ms' } }, summary(mixed, []))).toMatchObject({ during: 'run', status: 'met' });
  });

  it('counts failed, unknown and dropped operations as errors', () => {
    const v = verdict({ errorRate: { workload: 'orders', atMost: '5%', during: 'fault' } }, summary([...mixed, write('d', 12_000, 'dropped')], []));
    expect(v).toMatchObject({ kind: 'errorRate', status: 'missed', unit: '%', bound: 5, objective: 'orders error rate <= 5% during fault' });
    expect(v.measured).toBeCloseTo((3 / 21) * 100, 10);
    expect(v.figures).toMatchObject({ operations: 21, ok: 18, unknown: 2, dropped: 1 });
    expect(verdict({ errorRate: { workload: 'orders', atMost: '1%' } }, summary(mixed.slice(0, 20), []))).toMatchObject({ status: 'met', measured: 0, during: 'run' });
  });

  it('is unknown for a phase that did not happen, without operations, or without any completed one', () => {
    const none = { ...BOUNDS, faultStart: null, faultEnd: null };
    expect(verdict({ errorRate: { workload: 'orders', atMost: '1%', during: 'fault' } }, summary(mixed, [], none))).toMatchObject({ status: 'unknown', detail: 'could not be judged: there was no fault phase: no fault was injected' });
    expect(verdict({ errorRate: { workload: 'orders', atMost: '1%', during: 'recovery' } }, summary(mixed, []))).toMatchObject({ status: 'unknown', detail: 'could not be judged: workload "orders" scheduled no operation during the recovery phase' });
    expect(verdict({ latency: { workload: 'orders', p99: '1s', during: 'recovery' } }, summary([write('d', 21_000, 'dropped')], []))).toMatchObject({ status: 'unknown', detail: 'could not be judged: no operation of "orders" completed during the recovery phase (1 dropped)' });
  });
});

describe('probe objectives keep their verdicts', () => {
  it('a probe latency objective still judges samples, with a status', () => {
    const v = evaluate({ objectives: [objective({ latency: { probe: 'p', p99: '100ms' } })], samples: [{ probe: 'p', t: BOUNDS.faultStart! + 1, ok: true, ms: 50 }], faults: [], window: { start: BOUNDS.faultStart!, end: BOUNDS.end } })[0]!;
    expect(v).toMatchObject({ kind: 'latency', probe: 'p', status: 'met', met: true, measured: 50 });
  });
});
