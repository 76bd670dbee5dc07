// Hand-made sample series: "+" is a passing sample, "-" a failing one, one every `every` ms from `start`.
import type { Sample } from '../../src/domain/model.js';
import type { FaultRecord } from '../../src/slo/index.js';

export function series(probe: string, start: number, every: number, pattern: string, ms = 10): Sample[] {
  return [...pattern].map((c, i) => ({ probe, t: start + i * every, ok: c === '+', ms: c === '+' ? ms : 1000, ...(c === '+' ? {} : { error: 'refused' }) }));
}

export function instantFault(name: string, injectedAt: number | null): FaultRecord {
  return { name, kind: 'kill', injectedAt, revertedAt: null, instant: true };
}

export function heldFault(name: string, injectedAt: number | null, revertedAt: number | null): FaultRecord {
  return { name, kind: 'latency', injectedAt, revertedAt, instant: false };
}
