// Declared objectives that were never judged (the run stopped before, or never started): each is
// still listed, as unknown with the reason, so no report says "No objectives" when some were declared.
import type { ObjectiveSpec } from '../domain/experiment.js';
import type { ObjectiveVerdict } from '../domain/model.js';
import { describeDurability, describeErrorRate, describeRpo } from './checkers/describe.js';
import { describeAvailability, describeLatency, describeRecovery } from './describe.js';
import { PERCENTILE_KEYS } from './percentile.js';

type Judged = Pick<ObjectiveVerdict, 'objective' | 'kind' | 'bound' | 'unit'> & Partial<Pick<ObjectiveVerdict, 'probe' | 'workload' | 'during'>>;

function declared(o: ObjectiveSpec): Judged {
  if ('recovery' in o) return { objective: describeRecovery(o.recovery), kind: 'recovery', probe: o.recovery.probe, bound: o.recovery.within, unit: 'ms' };
  if ('availability' in o) return { objective: describeAvailability(o.availability), kind: 'availability', probe: o.availability.probe, bound: o.availability.atLeast, unit: '%' };
  if ('durability' in o) return { objective: describeDurability(o.durability), kind: 'durability', workload: o.durability.workload, bound: o.durability.lostAtMost, unit: 'writes' };
  if ('rpo' in o) return { objective: describeRpo(o.rpo), kind: 'rpo', workload: o.rpo.workload, bound: o.rpo.atMost, unit: 'ms' };
  if ('errorRate' in o) return { objective: describeErrorRate(o.errorRate), kind: 'errorRate', workload: o.errorRate.workload, during: o.errorRate.during, bound: o.errorRate.atMost, unit: '%' };
  const l = o.latency;
  const first = PERCENTILE_KEYS.find((k) => l[k] !== undefined)!;
  return { objective: describeLatency(l), kind: 'latency', ...(l.probe !== undefined ? { probe: l.probe } : {}), ...(l.workload !== undefined ? { workload: l.workload } : {}), bound: l[first]!, unit: 'ms' };
}

/** One unknown verdict per declared objective, each saying why it was not judged. */
export function notJudged(objectives: readonly ObjectiveSpec[], why: string): ObjectiveVerdict[] {
  return objectives.map((o) => ({ ...declared(o), status: 'unknown', met: false, measured: null, detail: `not judged: ${why}`, figures: {} }));
}
