// How the scheduler runs and plans experiments from the command line: a run is exactly
// `faultline run` (runLoaded: driver, lifecycle, ledger, reverts, journal, reports), with the
// slot's seed; planning is `faultline plan` (planExperiment), which touches nothing.
import { silentLogger } from '../domain/context.js';
import type { Target } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import { planExperiment } from '../engine/plan.js';
import { systemClock } from '../runtime/system-clock.js';
import type { ExperimentRunner } from '../schedule/scheduler.js';
import type { Slot } from '../schedule/timeline.js';
import type { LoadedExperiment } from '../spec/load-experiment.js';
import { createDriverFor } from './create-driver.js';
import { runLoaded } from './run-command.js';
import type { Terminal } from './terminal.js';

export interface DriverFlags {
  dockerHost?: string;
  context?: string;
}

export interface PlannedTargets {
  groups: Record<string, string[]>;
  victims: Target[];
}

/**
 * The victims a slot's run would pick, with the same seed and the same selection code as the run.
 * Pass a `drivers` map to reuse one driver per experiment across many slots (a preview).
 */
export async function planSlot(loaded: LoadedExperiment, slot: Slot, flags: DriverFlags, drivers?: Map<LoadedExperiment, Promise<Driver>>): Promise<PlannedTargets> {
  const make = () =>
    createDriverFor(loaded.experiment, {
      baseDir: loaded.dir,
      clock: systemClock,
      where: loaded.where,
      ...(flags.dockerHost ? { dockerHost: flags.dockerHost } : {}),
      ...(flags.context ? { kubeContext: flags.context } : {}),
    });
  let driver: Promise<Driver>;
  if (drivers) {
    driver = drivers.get(loaded) ?? make();
    drivers.set(loaded, driver);
  } else driver = make();
  return planWith(loaded, slot, await driver);
}

async function planWith(loaded: LoadedExperiment, slot: Slot, driver: Driver): Promise<PlannedTargets> {
  const ctx = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: 'schedule-preview', rng: Math.random };
  const plan = await planExperiment(loaded.experiment, driver, ctx, slot.seed);
  return {
    groups: Object.fromEntries(plan.groups.map((g) => [g.name, g.victims.map((v) => v.name)])),
    victims: plan.groups.flatMap((g) => g.victims),
  };
}

export function cliRunner(experiments: LoadedExperiment[], opts: DriverFlags & { out: string; stateDir: string }, term: Terminal): ExperimentRunner {
  return {
    async run(slot, interrupt, listen) {
      const loaded = experiments[slot.experiment]!;
      const { journal } = await runLoaded(
        loaded,
        { seed: slot.seed, out: opts.out, stateDir: opts.stateDir, quiet: true, yes: true, ...(opts.dockerHost ? { dockerHost: opts.dockerHost } : {}), ...(opts.context ? { context: opts.context } : {}) },
        term,
        interrupt,
        listen,
      );
      return journal;
    },
    async victims(slot) {
      const planned = await planSlot(experiments[slot.experiment]!, slot, opts);
      return planned.victims.map((v) => `${v.driver}:${v.id}`);
    },
  };
}
