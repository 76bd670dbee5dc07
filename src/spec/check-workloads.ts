// Checks that tie objectives to workloads, run with the other whole-experiment checks: an
// objective must name a workload that exists, and a durability or RPO objective needs that
// workload to say how a key is read back. The workload's own fields (templates, rate, store URLs) are checked
// by its schema. Pure: problems with paths; the loader locates them.
import type { ExperimentSpec } from '../domain/experiment.js';
import { closest } from '../domain/suggest.js';
import type { Problem } from './problem.js';

export function checkWorkloads(spec: Pick<ExperimentSpec, 'workloads' | 'objectives'>): Problem[] {
  const problems: Problem[] = [];
  const names = Object.keys(spec.workloads);
  spec.objectives.forEach((objective, i) => {
    const [kind, body] = Object.entries(objective)[0] as [string, { workload?: unknown }];
    if (typeof body.workload !== 'string') return;
    const path = ['spec', 'objectives', i, kind, 'workload'];
    const workload = spec.workloads[body.workload];
    if (workload === undefined) {
      const guess = closest(body.workload, names);
      const list = names.length ? `(spec.workloads has: ${names.join(', ')})` : '(spec.workloads is empty)';
      problems.push({ path, message: `unknown workload "${body.workload}"${guess ? `, did you mean "${guess}"?` : ''} ${list}` });
    } else if ((kind === 'durability' || kind === 'rpo') && workload.read === undefined) {
      problems.push({ path, message: `workload "${body.workload}" has no "read", so its writes cannot be read back: add spec.workloads.${body.workload}.read to judge ${kind === 'rpo' ? 'RPO' : 'durability'}` });
    }
  });
  return problems;
}
