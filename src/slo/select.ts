// Sample selection shared by the evaluators and the abort helpers.
import type { ObjectiveSpec } from '../domain/experiment.js';
import type { Sample } from '../domain/model.js';

/** Samples of one probe, ordered by start time (the input may come in any order). */
export function samplesOf(samples: readonly Sample[], probe: string): Sample[] {
  return samples.filter((s) => s.probe === probe).sort((a, b) => a.t - b.t);
}

/** Samples whose start lies in [start, end], both ends included. */
export function within(samples: readonly Sample[], start: number, end: number): Sample[] {
  return samples.filter((s) => s.t >= start && s.t <= end);
}

/** The probe an objective judges; undefined for a workload objective. */
export function objectiveProbe(o: ObjectiveSpec): string | undefined {
  if ('recovery' in o) return o.recovery.probe;
  if ('availability' in o) return o.availability.probe;
  if ('latency' in o) return o.latency.probe;
  return undefined;
}
