// Samples x objectives -> verdicts, once the run is over.
import type { ObjectiveVerdict } from '../domain/model.js';
import { evaluateAvailability } from './availability.js';
import { evaluateLatency } from './latency.js';
import { evaluateRecovery } from './recovery.js';
import type { EvaluationInput } from './types.js';

/** One verdict per objective, in the experiment's order. */
export function evaluate(input: EvaluationInput): ObjectiveVerdict[] {
  return input.objectives.map((o) => {
    if ('recovery' in o) return evaluateRecovery(o.recovery, input.samples, input.faults, input.window);
    if ('availability' in o) return evaluateAvailability(o.availability, input.samples, input.window);
    return evaluateLatency(o.latency, input.samples, input.window);
  });
}
