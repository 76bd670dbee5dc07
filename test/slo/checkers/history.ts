// Hand-built histories: operations and final reads for one workload, times in ms from T0.
import type { FinalRead, Operation, OperationOutcome, PhaseBounds } from '../../../src/domain/history.js';

export const T0 = 1_700_000_000_000;

/** Baseline 0..10s, fault 10s..20s, recovery 20s..30s. */
export const BOUNDS: PhaseBounds = { baselineStart: T0, faultStart: T0 + 10_000, faultEnd: T0 + 20_000, end: T0 + 30_000 };

let seq = 0;

/** A write scheduled at `at` ms, completed `latency` ms later (dropped writes never start). */
export function write(key: string, at: number, outcome: OperationOutcome = 'ok', latency = 5, workload = 'orders'): Operation {
  const dropped = outcome === 'dropped';
  return {
    workload, seq: seq++, type: 'write', key, value: `v-${key}`,
    scheduledAt: T0 + at, startedAt: dropped ? null : T0 + at, completedAt: dropped ? null : T0 + at + latency, outcome,
    ...(outcome === 'ok' ? {} : { error: outcome }),
  };
}

export function read(key: string, found: FinalRead['found'], workload = 'orders'): FinalRead {
  return { workload, key, found, at: T0 + 40_000, ...(found === 'error' ? { error: 'connect ECONNREFUSED 127.0.0.1:7001' } : {}) };
}
