// Checks of workload objectives that need the whole experiment: the workload they name exists in
// spec.workloads, and durability and RPO name a workload that reads its writes back. Pure; returns
// problems with paths for the loader to locate.
import type { ExperimentSpec } from '../domain/experiment.js';
import { closest } from '../domain/suggest.js';
import type { Problem } from './problem.js';

/** The workloads as declared; read defensively so this check does not depend on the workload schema's details. */
function declaredWorkloads(spec: ExperimentSpec): Record<string, unknown> {
  const w = (spec as { workloads?: unknown }).workloads;
  return typeof w === 'object' && w !== null && !Array.isArray(w) ? (w as Record<string, unknown>) : {};
}

function readsBack(workload: unknown): boolean {
  return typeof workload === 'object' && workload !== null && (workload as { read?: unknown }).read !== undefined;
}

export function checkWorkloadObjectives(spec: ExperimentSpec): Problem[] {
  const workloads = declaredWorkloads(spec);
  const names = Object.keys(workloads);
  const problems: Problem[] = [];
  spec.objectives.forEach((objective, i) => {
    const [kind, body] = Object.entries(objective)[0] as [string, { workload?: string }];
    if (body.workload === undefined) return;
    const path = ['spec', 'objectives', i, kind, 'workload'];
    if (!names.includes(body.workload)) {
      const guess = closest(body.workload, names);
      const list = names.length ? `(spec.workloads has: ${names.join(', ')})` : '(spec.workloads is empty)';
      problems.push({ path, message: `unknown workload "${body.workload}"${guess ? `, did you mean "${guess}"?` : ''} ${list}` });
    } else if ((kind === 'durability' || kind === 'rpo') && !readsBack(workloads[body.workload])) {
      problems.push({ path, message: `${kind === 'rpo' ? 'an rpo' : 'a durability'} objective needs its writes read back, but workload "${body.workload}" has no "read" (add spec.workloads.${body.workload}.read)` });
    }
  });
  return problems;
}
