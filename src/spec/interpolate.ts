// ${env:NAME} in probe URLs, headers and bodies, exec commands and service commands and
// environments: read from faultline's environment at load time, and remembered as secrets so
// they are redacted everywhere (command faults: checked here, filled in when they run). A missing
// variable is bad input, reported where it is used.
import { ENV_REF as REF } from '../domain/env-ref.js';
import type { Experiment } from '../domain/experiment.js';
import type { PathSegment, Problem } from './problem.js';

export interface Interpolated {
  experiment: Experiment;
  secrets: string[];
  problems: Problem[];
}

export function interpolateEnv(experiment: Experiment, env: NodeJS.ProcessEnv): Interpolated {
  const secrets: string[] = [];
  const problems: Problem[] = [];
  const walk = (v: unknown, path: PathSegment[]): unknown => {
    if (typeof v === 'string') {
      return v.replace(REF, (_m, name: string) => {
        const value = env[name];
        if (value === undefined) {
          problems.push({ path, message: `environment variable ${name} is not set (referenced as \${env:${name}})` });
          return '';
        }
        secrets.push(value);
        return value;
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  const spec = experiment.spec;
  // A command fault's references are filled in when it runs (its undo record in the ledger must
  // hold the reference, not the value): here they are only checked, and their values noted for redaction.
  walk(spec.faults, ['spec', 'faults']);
  const out: Experiment = {
    ...experiment,
    spec: {
      ...spec,
      probes: walk(spec.probes, ['spec', 'probes']) as typeof spec.probes,
      targets: walk(spec.targets, ['spec', 'targets']) as typeof spec.targets,
      ...(spec.services ? { services: walk(spec.services, ['spec', 'services']) as typeof spec.services } : {}),
    },
  };
  return { experiment: out, secrets, problems };
}
