// A partition that nothing noticed is more often a partition that was never enforced than a
// service that shrugged it off; the driver says how that can happen on it (`Driver.partitionCaveat`).
// Pure: journal faults and samples in, a warning or nothing out.
import type { Journal, Sample } from '../domain/model.js';

type FaultRecord = Journal['faults'][number];

/**
 * The warning to record when a partition was held and every sample of every probe taken while it
 * held ([injectedAt, revertedAt]) passed; undefined otherwise, and when no sample fell in that window.
 * `caveat` is the driver's reason the partition may not have been enforced at all.
 */
export function partitionWithoutEffect(faults: readonly FaultRecord[], samples: readonly Sample[], caveat?: string): string | undefined {
  const held = faults.filter((f) => f.kind === 'partition' && f.injectedAt !== null && f.revertedAt !== null);
  const unnoticed = held.filter((f) => {
    const during = samples.filter((s) => s.t >= f.injectedAt! && s.t <= f.revertedAt!);
    return during.length > 0 && during.every((s) => s.ok);
  });
  if (unnoticed.length === 0) return undefined;
  const names = unnoticed.map((f) => `"${f.name}"`).join(', ');
  const probes = new Set(samples.filter((s) => unnoticed.some((f) => s.t >= f.injectedAt! && s.t <= f.revertedAt!)).map((s) => s.probe));
  const why = caveat ? `${caveat}, or no probe crosses the partition` : 'no probe may cross the partition';
  return `partition ${names} had no visible effect: every sample of ${[...probes].sort().join(', ')} passed while it held; ${why}`;
}
