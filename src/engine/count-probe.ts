// A count objective sampled like a probe: at each instant the target group's selector is re-run
// (a failover changes who satisfies the condition; a replaced pod has a new name, and a frozen
// victims list would miss it) and the `where` condition is run against every candidate.
import { countBoundText, countHolds, countName, type CountSpec } from '../domain/count-objective.js';
import type { RunContext } from '../domain/context.js';
import { InvalidInputError } from '../domain/errors.js';
import type { TargetSpec } from '../domain/experiment.js';
import type { Sample } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import type { Probe } from '../probes/probe.js';

export function countProbe(o: CountSpec, target: TargetSpec, driver: Driver): Probe {
  const name = countName(o);
  const where = driver.where?.bind(driver);
  if (!where) throw new InvalidInputError(`count objective "${name}": the ${driver.name} driver cannot run "where" conditions`);
  return {
    name,
    every: o.every,
    timeout: o.where.timeout,
    async sample(ctx: RunContext): Promise<Sample> {
      const t = ctx.clock.now();
      try {
        const found = await driver.candidates(target.selector, o.target, ctx);
        const answers = await Promise.all(found.map((c) => where(o.where, c, ctx)));
        const matched = found.filter((_, i) => answers[i]!.ok).map((c) => c.name).sort();
        const ok = countHolds(o, matched.length);
        const error = `${matched.length} of ${found.length} satisfied where (${matched.join(', ') || 'none'}); ${countBoundText(o)} allowed`;
        return { probe: name, t, ok, ms: ctx.clock.now() - t, matched, ...(ok ? {} : { error }) };
      } catch (e) {
        return { probe: name, t, ok: false, ms: ctx.clock.now() - t, error: `could not count target "${o.target}": ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}
