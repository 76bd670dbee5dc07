import { InvalidInputError } from '../domain/errors.js';
import { silentLogger } from '../domain/context.js';
import type { Plan } from '../domain/plan.js';
import { planExperiment } from '../engine/plan.js';
import { renderPlan } from '../report/plan-text.js';
import { renderScenarioPlan } from '../report/scenario-plan-text.js';
import { randomStream } from '../runtime/random.js';
import { systemClock } from '../runtime/system-clock.js';
import type { LoadedExperiment } from '../spec/load-experiment.js';
import { loadFile } from '../spec/load-file.js';
import { scenarioPlan } from '../spec/load-scenario.js';
import { createDriverFor } from './create-driver.js';
import type { Terminal } from './terminal.js';

type PlanOptions = { seed?: string; json?: boolean; dockerHost?: string; context?: string; kubeconfig?: string };

export async function planCommand(file: string, o: PlanOptions, term: Terminal): Promise<number> {
  const loaded = await loadFile(file, systemClock.now(), o.seed);
  if (loaded.kind === 'Schedule') throw new InvalidInputError(`${file} is a schedule; \`faultline schedule preview ${file}\` shows when and what it would run`);
  if (loaded.kind === 'Experiment') {
    const plan = await planOf(loaded.experiment, o);
    term.out(o.json ? JSON.stringify(plan, null, 2) : renderPlan(plan));
    return 0;
  }
  // A scenario's plan is every step's, each experiment's with its own seed (--seed chooses the picks).
  const steps = scenarioPlan(loaded.scenario);
  const details = new Map<string, Plan>();
  for (const s of loaded.scenario.steps) if (s.kind === 'experiment') details.set(s.label, await planOf(s.experiment, { ...o, seed: undefined }));
  if (o.json) term.out(JSON.stringify({ ...steps, experiments: Object.fromEntries(details) }, null, 2));
  else term.out(renderScenarioPlan(steps, new Map([...details].map(([label, p]) => [label, renderPlan(p)]))));
  return 0;
}

async function planOf(loaded: LoadedExperiment, o: PlanOptions): Promise<Plan> {
  const driver = await createDriverFor(loaded.experiment, {
    baseDir: loaded.dir,
    clock: systemClock,
    where: loaded.where,
    ...(o.dockerHost ? { dockerHost: o.dockerHost } : {}),
    ...(o.context ? { kubeContext: o.context } : {}),
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
  });
  const ctx = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: 'plan', rng: randomStream(String(o.seed ?? 'plan'), 'plan') };
  return planExperiment(loaded.experiment, driver, ctx, o.seed);
}
