// Probe kinds the Docker driver owns: a container's HEALTHCHECK status, and exec inside the single
// container of a target group.
import type Dockerode from 'dockerode';
import type { ProbeSpec } from '../../domain/experiment.js';
import type { Target } from '../../domain/model.js';
import type { ProbeRunner } from '../driver.js';
import { containerExecCheck, healthCheck } from './where.js';

export function dockerProbe(docker: Dockerode, name: string, spec: ProbeSpec, targets: ReadonlyMap<string, Target[]>): ProbeRunner | undefined {
  if ('docker-health' in spec) {
    const container = spec['docker-health'].container;
    return { sample: (ctx) => healthCheck(docker, container, ctx) };
  }
  if ('exec' in spec && spec.exec.target !== undefined) {
    const group = spec.exec.target;
    const exec = spec.exec;
    return {
      async sample(ctx) {
        const victims = targets.get(group) ?? [];
        if (victims.length !== 1) {
          return { t: ctx.clock.now(), ok: false, ms: 0, error: `probe ${name} runs inside target ${group}, which has ${victims.length} containers (it needs exactly one)` };
        }
        return containerExecCheck(docker, victims[0]!.id, exec, spec.timeout, ctx);
      },
    };
  }
  return undefined;
}
