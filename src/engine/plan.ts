// `faultline plan`: everything a run would do, resolved against the real targets, with nothing
// touched. The same selection code as a run, so the plan is the run's victims for the same seed.
import type { RunContext } from '../domain/context.js';
import type { Experiment, FaultKind } from '../domain/experiment.js';
import type { Plan, PlannedFault } from '../domain/plan.js';
import { formatDuration } from '../domain/units.js';
import type { Driver } from '../drivers/driver.js';
import { freshSeed } from '../runtime/random.js';
import { timeToLive } from '../drivers/fault-handler.js';
import { HOLD_EXPIRY_MARGIN_MS } from '../ledger/run-ledger.js';
import { faultNames } from '../domain/fault-kinds/fault-names.js';
import { refuseInterference, resolveFault } from './resolve-fault.js';
import { selectTargets } from '../targets/select.js';
import { planObservers } from './plan-observers.js';

export type { Plan, PlannedFault } from '../domain/plan.js';

export async function planExperiment(experiment: Experiment, driver: Driver, ctx: RunContext, seedOverride?: string | number): Promise<Plan> {
  const { spec } = experiment;
  const seedGiven = seedOverride !== undefined || spec.seed !== undefined;
  const seed = String(seedOverride ?? spec.seed ?? freshSeed());
  driver.configure?.(experiment);
  const selection = await selectTargets(experiment, driver, ctx, seed);
  const names = faultNames(spec);
  const resolved = spec.faults.map((f) => resolveFault(f, driver, selection.groups));
  refuseInterference(spec.faults, names, resolved);
  const faults = spec.faults.map((f, i): PlannedFault => {
    const fault = resolved[i]!;
    const kind = fault.kind;
    const actions = fault.victims().map((v) => {
      try {
        return fault.describe(v);
      } catch (e) {
        return `cannot be done: ${e instanceof Error ? e.message : String(e)}`;
      }
    });
    const ttl = timeToLive(driver.faults.get(kind), fault.args, f.for ?? 0, HOLD_EXPIRY_MARGIN_MS);
    const expiry = fault.instant ? 'instant: nothing is left to expire' : (driver.faults.get(kind)?.expiry?.(ttl) ?? `time to live ${formatDuration(ttl)}`);
    return { name: names[i]!, kind, at: f.at, for: f.for ?? null, instant: fault.instant, actions, expiry };
  });
  return {
    experiment: experiment.metadata.name,
    driver: spec.driver,
    seed,
    seedGiven,
    groups: [...selection.groups].map(([name, victims]) => ({ name, candidates: selection.candidates.get(name) ?? victims.length, victims })),
    faults,
    steadyState: spec.steadyState,
    steadyStateMs: spec.observe.steadyState,
    observers: await planObservers(experiment, ctx),
  };
}
