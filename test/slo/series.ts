// Hand-made sample series: "+" is a passing sample, "-" a failing one, one every `every` ms from `start`.
import { Objective, type ObjectiveSpec } from '../../src/domain/experiment.js';
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

/**
 * An objective as the spec loader produces it. Going through the schema keeps the tests on the real
 * shape (defaults included) and sidesteps ObjectiveSpec not accepting object literals.
 */
export function objective(raw: Record<string, Record<string, unknown>>): ObjectiveSpec {
  const [kind, body] = Object.entries(raw)[0]!;
  const text = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'number' && k !== 'atLeast' && k !== 'consecutive' ? `${v}ms` : v]));
  return Objective.parse({ [kind]: text });
}
