// Count objectives: at every sampling instant, how many targets of a group satisfied a condition
// (e.g. "role is master"), judged over the whole run. A miss names the longest window in which the
// bound did not hold and who was counted then: two masters for 12 s is split brain, not a blip.
import { countBoundText, countHolds, countName, type CountSpec } from '../domain/count-objective.js';
import type { ObjectiveVerdict, Sample } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { firstInjection } from './reference.js';
import { samplesOf } from './select.js';
import type { FaultRecord } from './types.js';

export interface Violation {
  from: number;
  /** The first instant the bound held again, or the last violating instant when it never did. */
  to: number;
  settled: boolean;
  /** The most targets counted at once in the window (the fewest, for a floor). */
  worst: Sample & { matched: string[] };
}

export function describeCount(o: CountSpec): string {
  return `${countName(o)}: ${countBoundText(o)} of ${o.target} satisfy where`;
}

/** The windows in which the bound did not hold, in time order; samples that could not count are skipped. */
export function violations(o: CountSpec, ordered: readonly Sample[]): Violation[] {
  const out: Violation[] = [];
  let open: Violation | null = null;
  for (const s of ordered) {
    if (!s.matched) continue;
    const n = s.matched.length;
    if (countHolds(o, n)) {
      if (open) out.push({ ...open, to: s.t, settled: true });
      open = null;
      continue;
    }
    const counted = s as Sample & { matched: string[] };
    if (!open) open = { from: s.t, to: s.t, settled: false, worst: counted };
    else {
      open.to = s.t;
      if (Math.abs(n - boundOf(o, n)) > Math.abs(open.worst.matched.length - boundOf(o, open.worst.matched.length))) open.worst = counted;
    }
  }
  if (open) out.push(open);
  return out;
}

/** The bound a count is compared with: the one it breaks, or the ceiling (else floor) when it holds. */
function boundOf(o: CountSpec, n: number): number {
  if (o.exactly !== undefined) return o.exactly;
  if (o.atLeast !== undefined && n < o.atLeast) return o.atLeast;
  return o.atMost ?? o.atLeast!;
}

function comparison(o: CountSpec, n: number): NonNullable<ObjectiveVerdict['comparison']> {
  if (o.exactly !== undefined) return '=';
  if (o.atLeast !== undefined && (n < o.atLeast || o.atMost === undefined)) return '>=';
  return '<=';
}

export function evaluateCount(o: CountSpec, samples: readonly Sample[], faults: readonly FaultRecord[]): ObjectiveVerdict {
  const name = countName(o);
  const ordered = samplesOf(samples, name);
  const counted = ordered.filter((s) => s.matched !== undefined);
  const base = { objective: describeCount(o), kind: 'count' as const, probe: name, target: o.target, unit: 'targets' as const };
  if (counted.length === 0) {
    const why = ordered.find((s) => s.error)?.error ?? 'no instant was sampled';
    return { ...base, status: 'unknown', met: false, measured: null, bound: boundOf(o, 0), comparison: comparison(o, 0), detail: `could not be judged: no instant could be counted (${why})`, figures: { samples: ordered.length } };
  }
  const sizes = counted.map((s) => s.matched!.length);
  const windows = violations(o, counted);
  const longest = windows.reduce<Violation | null>((a, w) => (a === null || w.to - w.from > a.to - a.from ? w : a), null);
  // Held throughout: the figure closest to the bound (the most for a ceiling, the fewest for a floor).
  const floorOnly = o.atLeast !== undefined && o.atMost === undefined;
  const worst = longest ? longest.worst.matched.length : floorOnly ? Math.min(...sizes) : Math.max(...sizes);
  const origin = firstInjection(faults) ?? counted[0]!.t;
  const figures = {
    maxCounted: Math.max(...sizes),
    minCounted: Math.min(...sizes),
    violations: windows.length,
    longestViolationMs: longest ? longest.to - longest.from : 0,
    longestViolationFromMs: longest ? longest.from - origin : null,
    violatedSamples: counted.filter((s) => !countHolds(o, s.matched!.length)).length,
    samples: ordered.length,
  };
  const verdict = { ...base, measured: worst, bound: boundOf(o, worst), comparison: comparison(o, worst), figures };
  if (!longest) {
    return { ...verdict, status: 'met', met: true, detail: `${countBoundText(o)} held at all ${counted.length} instants counted (between ${figures.minCounted} and ${figures.maxCounted} satisfied where)` };
  }
  const at = longest.from - origin;
  const when = `${at < 0 ? '-' : '+'}${formatDuration(Math.abs(at))} from the first injection`;
  const who = longest.worst.matched.length ? ` (${longest.worst.matched.join(', ')})` : '';
  const span = longest.settled ? `for ${formatDuration(longest.to - longest.from)}` : `for ${formatDuration(longest.to - longest.from)} and still when observation ended`;
  const more = windows.length > 1 ? `; ${windows.length} windows in all` : '';
  return { ...verdict, status: 'missed', met: false, detail: `${longest.worst.matched.length} satisfied where${who}, ${span}, at ${when} (${countBoundText(o)} allowed)${more}` };
}
