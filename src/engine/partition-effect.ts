// A partition that nothing noticed is more often a partition that was never enforced than a
// service that shrugged it off; the driver says how that can happen on it (`Driver.partitionCaveat`).
// "Noticed" is any change the run could see: a probe that failed, a count objective whose set of
// matching targets changed (a failover), or a target whose `where` no longer holds at the end.
// Pure: journal faults and samples in, a warning or nothing out.
import type { Journal, Sample } from '../domain/model.js';

type FaultRecord = Journal['faults'][number];

/**
 * The warning to record when a partition was held, every sample of every probe taken from its
 * injection to the end of observation passed, no count objective saw its matching targets change
 * and no target's `where` answer changed (`whereChanged`); undefined otherwise, and when no sample
 * fell while it held ([injectedAt, revertedAt]).
 * `caveat` is the driver's reason the partition may not have been enforced at all.
 */
export function partitionWithoutEffect(faults: readonly FaultRecord[], samples: readonly Sample[], caveat?: string, whereChanged = false): string | undefined {
  if (whereChanged) return undefined;
  const held = faults.filter((f) => f.kind === 'partition' && f.injectedAt !== null && f.revertedAt !== null);
  const unnoticed = held.filter((f) => {
    const during = samples.filter((s) => s.t >= f.injectedAt! && s.t <= f.revertedAt!);
    // Its effect may outlast it (a failover settles after the heal), until the next fault begins.
    const next = Math.min(...faults.map((x) => x.injectedAt ?? Infinity).filter((t) => t > f.revertedAt!));
    const since = samples.filter((s) => s.t >= f.injectedAt! && s.t < next);
    return during.length > 0 && since.every((s) => s.ok) && !matchedChanged(since);
  });
  if (unnoticed.length === 0) return undefined;
  const names = unnoticed.map((f) => `"${f.name}"`).join(', ');
  const probes = new Set(samples.filter((s) => unnoticed.some((f) => s.t >= f.injectedAt! && s.t <= f.revertedAt!)).map((s) => s.probe));
  const why = caveat ? `${caveat}, or no probe crosses the partition` : 'no probe may cross the partition';
  return `partition ${names} had no visible effect: every sample of ${[...probes].sort().join(', ')} passed while it held and after, and no target's "where" answer changed; ${why}`;
}

/** Whether any count objective's matching targets differed between two of these samples. */
function matchedChanged(samples: readonly Sample[]): boolean {
  const seen = new Map<string, string>();
  for (const s of samples) {
    if (!s.matched) continue;
    const set = [...s.matched].sort().join('\n');
    if ((seen.get(s.probe) ?? set) !== set) return true;
    seen.set(s.probe, set);
  }
  return false;
}
