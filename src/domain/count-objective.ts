// What a count objective is called and what its bound says, shared by the spec checks, the engine
// that samples it and the SLO maths that judge it.
import type { ObjectiveSpec } from './experiment.js';

export type CountSpec = Extract<ObjectiveSpec, { count: unknown }>['count'];

/** Its samples' probe name: the given name, or "<target>-count". */
export function countName(o: CountSpec): string {
  return o.name ?? `${o.target}-count`;
}

/** Whether `n` targets satisfying `where` is within the bound. */
export function countHolds(o: CountSpec, n: number): boolean {
  if (o.exactly !== undefined) return n === o.exactly;
  return (o.atMost === undefined || n <= o.atMost) && (o.atLeast === undefined || n >= o.atLeast);
}

/** "at most 1", "exactly 2", "at least 1 and at most 3". */
export function countBoundText(o: CountSpec): string {
  if (o.exactly !== undefined) return `exactly ${o.exactly}`;
  return [o.atLeast !== undefined ? `at least ${o.atLeast}` : '', o.atMost !== undefined ? `at most ${o.atMost}` : ''].filter(Boolean).join(' and ');
}

/** The count objectives of an experiment. */
export function countObjectives(objectives: readonly ObjectiveSpec[]): CountSpec[] {
  return objectives.flatMap((o) => ('count' in o ? [o.count] : []));
}
