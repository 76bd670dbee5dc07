// The instant a recovery objective is measured from.
import type { FaultRecord } from './types.js';

export type Reference = { at: number; fault: string } | { at: null; why: string };

/** When the fault counts as "over": its injection for an instant fault, its revert otherwise. */
export function faultInstant(f: FaultRecord): number | null {
  return f.instant ? f.injectedAt : f.revertedAt;
}

/**
 * The reference instant for `after`, or by default for the fault whose instant is latest.
 * A default never silently skips a fault that was injected but not reverted: measuring recovery
 * from an earlier fault while that one may still be in place would report a false recovery.
 */
export function referenceInstant(faults: readonly FaultRecord[], after?: string): Reference {
  if (after !== undefined) {
    const f = faults.find((x) => x.name === after);
    if (!f) return { at: null, why: `fault "${after}" is not part of this run` };
    const at = faultInstant(f);
    if (at !== null) return { at, fault: f.name };
    if (f.injectedAt === null) return { at: null, why: `fault "${after}" was never injected` };
    return { at: null, why: `fault "${after}" was never reverted` };
  }
  const stuck = faults.find((f) => f.injectedAt !== null && faultInstant(f) === null);
  if (stuck) return { at: null, why: `fault "${stuck.name}" was never reverted` };
  let best: { at: number; fault: string } | null = null;
  for (const f of faults) {
    const at = faultInstant(f);
    if (at !== null && (best === null || at >= best.at)) best = { at, fault: f.name };
  }
  return best ?? { at: null, why: 'no fault was injected' };
}

/** The earliest injection, or null when nothing was injected. */
export function firstInjection(faults: readonly FaultRecord[]): number | null {
  const times = faults.map((f) => f.injectedAt).filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}
