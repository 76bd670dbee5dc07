import { silentLogger } from '../domain/context.js';
import { planExperiment } from '../engine/plan.js';
import { renderPlan } from '../report/plan-text.js';
import { randomStream } from '../runtime/random.js';
import { systemClock } from '../runtime/system-clock.js';
import { loadExperiment } from '../spec/load-experiment.js';
import { createDriverFor } from './create-driver.js';
import type { Terminal } from './terminal.js';

export async function planCommand(file: string, o: { seed?: string; json?: boolean; dockerHost?: string; context?: string; kubeconfig?: string }, term: Terminal): Promise<number> {
  const loaded = await loadExperiment(file);
  const driver = await createDriverFor(loaded.experiment, {
    baseDir: loaded.dir,
    clock: systemClock,
    where: loaded.where,
    ...(o.dockerHost ? { dockerHost: o.dockerHost } : {}),
    ...(o.context ? { kubeContext: o.context } : {}),
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
  });
  const ctx = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: 'plan', rng: randomStream(String(o.seed ?? 'plan'), 'plan') };
  const plan = await planExperiment(loaded.experiment, driver, ctx, o.seed);
  term.out(o.json ? JSON.stringify(plan, null, 2) : renderPlan(plan));
  return 0;
}
