// Samples and workload summaries x objectives -> verdicts, once the run is over.
// The verdict modules one by one, not the checkers' index: that would load the HDR histogram
// (only the history check needs it) into every run.
import { evaluateDurability } from './checkers/durability-verdict.js';
import { evaluateErrorRate } from './checkers/error-rate-verdict.js';
import { evaluateRpo } from './checkers/rpo-verdict.js';
import { evaluateWorkloadLatency } from './checkers/workload-latency-verdict.js';
import { countName, countObjectives } from '../domain/count-objective.js';
import type { ObjectiveVerdict } from '../domain/model.js';
import { evaluateAvailability } from './availability.js';
import { evaluateCount } from './count.js';
import { alertDetection } from '../domain/alerts.js';
import { evaluateDetection } from './detection.js';
import { evaluateHumanDetection } from './human-detection.js';
import { evaluateLatency } from './latency.js';
import { evaluateRecovery } from './recovery.js';
import type { EvaluationInput } from './types.js';

/** One verdict per objective, in the experiment's order. */
export function evaluate(input: EvaluationInput): ObjectiveVerdict[] {
  return input.objectives.map((o) => {
    if ('recovery' in o) return evaluateRecovery(o.recovery, input.samples, input.faults, input.window, countObjectives(input.objectives).map(countName));
    if ('availability' in o) return evaluateAvailability(o.availability, input.samples, input.window);
    if ('durability' in o) return evaluateDurability(o.durability, input.workloads);
    if ('rpo' in o) return evaluateRpo(o.rpo, input.workloads);
    if ('errorRate' in o) return evaluateErrorRate(o.errorRate, input.workloads);
    if ('count' in o) return evaluateCount(o.count, input.samples, input.faults);
    if ('detection' in o) {
      const alert = alertDetection(o.detection);
      return alert ? evaluateDetection(alert, input.observers, input.faults, input.window) : evaluateHumanDetection(o.detection, input.logbook, input.faults, input.window);
    }
    const l = o.latency;
    if (l.workload !== undefined) return evaluateWorkloadLatency({ ...l, workload: l.workload }, input.workloads);
    return evaluateLatency({ ...l, probe: l.probe! }, input.samples, input.window);
  });
}
