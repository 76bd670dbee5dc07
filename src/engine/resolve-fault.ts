// One fault of an experiment, resolved against the catalog (what the kind is) and the driver's
// registry (how this driver does it): the only place the engine joins the two, for runs and plans.
import type { FaultSpec } from '../domain/experiment.js';
import { faultKindDef, isInstant, type FaultKind } from '../domain/fault-kinds/catalog.js';
import type { FaultKindDef } from '../domain/fault-kinds/define.js';
import { faultKind, faultParams } from '../domain/fault-kinds/fault-names.js';
import type { Target } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import { faultOf, type DriverFault, type FaultArgs } from '../drivers/fault-handler.js';
import { InvalidInputError } from '../domain/errors.js';
import { interferingFaults } from '../domain/fault-interference.js';

export interface ResolvedFault {
  kind: FaultKind;
  instant: boolean;
  /** What the driver's handler changes on each victim (none when the driver lacks the kind). */
  touches: readonly string[];
  args: FaultArgs;
  /** The driver's handler; throws a clear error when the driver does not support the kind. */
  handler(): DriverFault;
  victims(): Target[];
  /** The `plan` line for one victim: the driver's mechanism when it says one, else the kind's own. */
  describe(victim: Target): string;
}

export function resolveFault(spec: FaultSpec, driver: Driver, groups: ReadonlyMap<string, Target[]>): ResolvedFault {
  const kind = faultKind(spec);
  const def = faultKindDef(kind) as unknown as FaultKindDef;
  const args: FaultArgs = { params: faultParams(spec) as FaultArgs['params'], groups };
  const handler = () => faultOf(driver.faults, driver.name, kind);
  return {
    kind,
    instant: isInstant(kind, args.params),
    touches: driver.faults.get(kind)?.touches ?? [],
    args,
    handler,
    victims: () => {
      const h = driver.faults.get(kind);
      if (h?.victims) return h.victims(args);
      return def.victims ? def.victims(args.params, groups, driver.name) : [];
    },
    describe: (victim) => {
      const h = handler();
      return h.describe ? h.describe(victim, args) : def.describe(victim, args.params, groups);
    },
  };
}

/** Refuses, before anything is touched, faults that would change the same thing on one selected victim at the same time. */
export function refuseInterference(specs: readonly FaultSpec[], names: readonly string[], faults: readonly ResolvedFault[]): void {
  const found = interferingFaults(specs.map((s, i) => ({ name: names[i]!, at: s.at, for: s.for, touches: faults[i]!.touches, victims: faults[i]!.victims() })));
  if (found.length) throw new InvalidInputError(found.map((f) => f.message).join('\n'));
}
