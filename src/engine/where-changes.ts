// At the end of observation, does each target still satisfy the `where` it was selected by? The
// primary that is no longer master is the clearest sign a partition did something, even when every
// probe passed (a Sentinel-aware client simply follows the failover).
import type { RunContext } from '../domain/context.js';
import type { Experiment } from '../domain/experiment.js';
import type { Target } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';

/** One sentence per target whose `where` answer changed since selection; empty when none did (or the driver cannot tell). */
export async function whereChanges(experiment: Experiment, groups: ReadonlyMap<string, Target[]>, driver: Driver, ctx: RunContext): Promise<string[]> {
  if (!driver.where) return [];
  const checks = Object.entries(experiment.spec.targets).flatMap(([group, t]) => (t.where ? (groups.get(group) ?? []).map((victim) => ({ group, victim, where: t.where! })) : []));
  const answers = await Promise.all(checks.map(async (c) => ({ ...c, now: await driver.where!(c.where, c.victim, ctx) })));
  return answers.filter((a) => !a.now.ok).map((a) => `target "${a.group}": ${a.victim.name} no longer satisfies its "where" (${a.now.error ?? 'condition not met'})`);
}
