// The worked example of docs/verdicts.md, figure by figure, so the page cannot drift from the code.
import { describe, expect, it } from 'vitest';
import { checkWorkload } from '../../../src/slo/checkers/index.js';
import { Objective } from '../../../src/domain/experiment.js';
import type { FinalRead, Operation, OperationOutcome } from '../../../src/domain/history.js';
import { evaluate } from '../../../src/slo/index.js';

const T0 = 1_700_000_000_000;
const bounds = { baselineStart: T0 + 8000, faultStart: T0 + 10_000, faultEnd: T0 + 14_000, end: T0 + 20_000 };
const rows: [string, number, OperationOutcome, number | null, FinalRead['found'] | null][] = [
  ['o-0', 9000, 'ok', 9004, 'present'],
  ['o-1', 9500, 'ok', 9504, 'present'],
  ['o-2', 10_000, 'ok', 10_210, 'absent'],
  ['o-3', 10_500, 'unknown', 11_500, 'present'],
  ['o-4', 11_000, 'ok', 11_300, 'absent'],
  ['o-5', 11_500, 'fail', 11_502, null],
  ['o-6', 12_000, 'ok', 12_900, 'absent'],
  ['o-7', 12_500, 'dropped', null, null],
  ['o-8', 14_500, 'ok', 14_510, 'error'],
];
const ops: Operation[] = rows.map(([key, at, outcome, done], seq) => ({
  workload: 'orders', seq, type: 'write', key, value: key, scheduledAt: T0 + at, startedAt: done === null ? null : T0 + at, completedAt: done === null ? null : T0 + done, outcome,
}));
const reads: FinalRead[] = rows.flatMap(([key, , , , found]) => (found ? [{ workload: 'orders', key, found, at: T0 + 21_000 }] : []));
const summary = checkWorkload('orders', ops, reads, bounds, { readBack: true });
const judge = (o: unknown) => evaluate({ objectives: [Objective.parse(o)], samples: [], faults: [], window: { start: bounds.faultStart, end: bounds.end }, workloads: [summary] })[0]!;

describe('the worked example of docs/verdicts.md', () => {
  it('has the durability figures, lost window and RPO of the page', () => {
    expect(summary.durability).toMatchObject({ writes: 9, acknowledged: 6, lost: 3, unknown: 1, recovered: 1, neverRead: 1, rpoMs: 2690 });
    expect(judge({ durability: { workload: 'orders' } }).figures).toMatchObject({ lostWindowStartMs: 210, lostWindowEndMs: 2900, rpoMs: 2690 });
  });

  it('judges the objectives of the page', () => {
    expect(judge({ durability: { workload: 'orders', lostAtMost: 0 } }).status).toBe('missed');
    expect(judge({ rpo: { workload: 'orders', atMost: '5s' } }).status).toBe('unknown');
    expect(judge({ rpo: { workload: 'orders', atMost: '2s' } }).status).toBe('missed');
    expect(judge({ errorRate: { workload: 'orders', atMost: '1%', during: 'fault' } })).toMatchObject({ status: 'missed', measured: 50 });
    expect(judge({ latency: { workload: 'orders', p99: '250ms', during: 'fault' } })).toMatchObject({ status: 'missed', measured: 1000 });
  });

  it('has the per-phase figures of the page', () => {
    const [baseline, fault, recovery] = summary.phases;
    expect(baseline).toMatchObject({ operations: 2, errorRate: 0, max: 4 });
    expect(fault).toMatchObject({ operations: 6, throughput: 0.75, errorRate: 50, p99: 1000, max: 1000 });
    // HDR reports the top of the value's bucket (three significant digits): never below the true value.
    expect(fault!.p50).toBeGreaterThanOrEqual(300);
    expect(fault!.p50).toBeLessThanOrEqual(300.3);
    expect(recovery).toMatchObject({ operations: 1, errorRate: 0, max: 10 });
  });
});
