// Selection and blast radius: every target group's selector -> candidates -> `where` filter ->
// seeded pick -> a frozen list. Any rule broken here stops the run before anything is touched.
import pLimit from 'p-limit';
import type { RunContext } from '../domain/context.js';
import { InvalidInputError } from '../domain/errors.js';
import type { Experiment } from '../domain/experiment.js';
import type { Target } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import { randomStream } from '../runtime/random.js';
import { pickVictims } from './pick.js';

export interface Selection {
  /** Victims per target group, in a stable order. */
  groups: Map<string, Target[]>;
  /** How many candidates each group had before the pick (for blast-radius reporting). */
  candidates: Map<string, number>;
}

export async function selectTargets(experiment: Experiment, driver: Driver, ctx: RunContext, seed: string): Promise<Selection> {
  const { spec } = experiment;
  const groups = new Map<string, Target[]>();
  const candidates = new Map<string, number>();
  const limit = pLimit(8);

  for (const name of Object.keys(spec.targets).sort()) {
    const t = spec.targets[name]!;
    let found = await driver.candidates(t.selector, name, ctx);
    if (found.length === 0) {
      throw new InvalidInputError(`target "${name}": its selector matched nothing (${JSON.stringify(t.selector)}); faultline never runs a fault with no victims`);
    }
    if (t.where) {
      if (!driver.where) throw new InvalidInputError(`target "${name}": the ${driver.name} driver does not support "where"`);
      const where = t.where;
      const verdicts = await Promise.all(found.map((c) => limit(() => driver.where!(where, c, ctx))));
      const failures = verdicts.map((v, i) => `${found[i]!.name}: ${v.error ?? 'condition not met'}`);
      found = found.filter((_, i) => verdicts[i]!.ok);
      if (found.length === 0) {
        throw new InvalidInputError(`target "${name}": the "where" condition failed on every candidate (${failures.join('; ')})`);
      }
    }
    candidates.set(name, found.length);
    groups.set(name, pickVictims(found, t.pick, randomStream(seed, `pick/${name}`)));
  }
  // A partition may name a process service directly instead of a target group.
  for (const name of implicitGroups(experiment)) {
    const found = await driver.candidates({ names: [name] }, name, ctx);
    if (found.length === 0) throw new InvalidInputError(`partition group "${name}" is neither a target nor a service`);
    candidates.set(name, found.length);
    groups.set(name, found);
  }
  enforceBlastRadius(experiment, groups, candidates);
  refuseSelfPartitions(experiment, groups);
  return { groups, candidates };
}

/**
 * A partition whose two groups select the same victim would cut that victim off from itself.
 * Refused rather than trimmed: overlapping groups mean the selectors do not say what the author
 * thinks (one label matching both the primary and the replicas), so any trimmed partition would be
 * a different experiment from the one written, with a verdict about the wrong fault.
 */
function refuseSelfPartitions(experiment: Experiment, groups: Map<string, Target[]>): void {
  experiment.spec.faults.forEach((f, i) => {
    if (!('partition' in f)) return;
    const { from, to } = f.partition;
    const toIds = new Set((groups.get(to) ?? []).map((t) => t.id));
    const both = (groups.get(from) ?? []).filter((t) => toIds.has(t.id)).map((t) => t.name);
    if (both.length === 0) return;
    const name = f.name ?? `partition-${i + 1}`;
    throw new InvalidInputError(
      `fault "${name}": ${both.join(', ')} ${both.length === 1 ? 'was' : 'were'} selected in both "${from}" and "${to}", so ${both.length === 1 ? 'it' : 'they'} would be partitioned from ${both.length === 1 ? 'itself' : 'themselves'}; narrow the selectors (or add a "where") so the two groups do not overlap`,
    );
  });
}

function implicitGroups(experiment: Experiment): string[] {
  const names = new Set<string>();
  for (const f of experiment.spec.faults) {
    if ('partition' in f) for (const g of [f.partition.from, f.partition.to]) if (!(g in experiment.spec.targets)) names.add(g);
  }
  return [...names].sort();
}

/** Distinct victims over all groups (the same container can belong to two groups). */
export function distinctVictims(groups: ReadonlyMap<string, Target[]>): Target[] {
  const byId = new Map<string, Target>();
  for (const list of groups.values()) for (const t of list) if (!byId.has(t.id)) byId.set(t.id, t);
  return [...byId.values()];
}

function enforceBlastRadius(experiment: Experiment, groups: Map<string, Target[]>, candidates: Map<string, number>): void {
  const { maxTargets, maxPercent } = experiment.spec.safety;
  const total = distinctVictims(groups).length;
  if (maxTargets !== undefined && total > maxTargets) {
    throw new InvalidInputError(`safety.maxTargets is ${maxTargets}, but ${total} victims were selected; narrow the selectors or raise the limit`);
  }
  if (maxPercent !== undefined) {
    for (const [name, victims] of groups) {
      const share = (victims.length / candidates.get(name)!) * 100;
      if (share > maxPercent) {
        throw new InvalidInputError(`safety.maxPercent is ${maxPercent}%, but target "${name}" would hit ${victims.length} of ${candidates.get(name)} candidates (${share.toFixed(0)}%)`);
      }
    }
  }
}
