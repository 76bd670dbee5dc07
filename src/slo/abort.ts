// Pure helpers the engine calls while the run is in progress, to decide whether to abort early.
// Each answers "true" only when the outcome is certain, so an abort never pre-empts a verdict
// that could still have been met.
import type { ObjectiveSpec } from '../domain/experiment.js';
import type { Sample } from '../domain/model.js';
import { PERCENTILE_KEYS, PERCENTILE_OF, nearestRank } from './percentile.js';
import { faultInstant, referenceInstant } from './reference.js';
import { objectiveProbe, samplesOf, within } from './select.js';
import type { FaultRecord, Window } from './types.js';

/**
 * How long, in ms, the probe has been failing without interruption at `now`: from the start of
 * the first sample of the trailing failing streak. 0 when there are no samples or the last passed.
 * `samples` are one probe's, in any order.
 */
export function failingFor(samples: readonly Sample[], now: number): number {
  const ordered = [...samples].sort((a, b) => a.t - b.t);
  let since: number | null = null;
  for (let i = ordered.length - 1; i >= 0 && !ordered[i]!.ok; i--) since = ordered[i]!.t;
  return since === null ? 0 : Math.max(0, now - since);
}

/**
 * True when `objective` can no longer be met whatever happens next.
 * `window.end` is the EXPECTED end of observation and `probeEvery` the probe's interval in ms;
 * together they bound how many samples are still to come.
 */
export function objectiveIrrecoverable(
  objective: ObjectiveSpec,
  samples: readonly Sample[],
  faults: readonly FaultRecord[],
  window: Window,
  now: number,
  probeEvery: number,
): boolean {
  if ('recovery' in objective) {
    const o = objective.recovery;
    // A fault not yet over (or not yet run) leaves the reference in the future: nothing is decided.
    // By default the reference is the last fault to end; one still to come (or still in place) will be it.
    if (o.after === undefined && faults.some((f) => faultInstant(f) === null)) return false;
    const ref = referenceInstant(faults, o.after);
    if (ref.at === null || now - ref.at <= o.within) return false;
    const deadline = ref.at + o.within;
    // Recovered in time if a run of `consecutive` passes, finished or still growing, started by the deadline.
    let runStart: number | null = null;
    let runLength = 0;
    for (const s of samplesOf(samples, o.probe)) {
      if (s.t < ref.at) continue;
      if (!s.ok) {
        runStart = null;
        runLength = 0;
        continue;
      }
      runStart ??= s.t;
      runLength++;
      if (runStart > deadline) return true;
      if (runLength >= o.consecutive) return false;
    }
    return runStart === null || runStart > deadline;
  }

  // Workload objectives are judged from the history after the final read, never mid-run.
  const probe = objectiveProbe(objective);
  if (probe === undefined || !('availability' in objective || 'latency' in objective)) return false;
  const seen = within(samplesOf(samples, probe), window.start, now);
  // Erring towards more remaining samples keeps the answer certain.
  const remaining = probeEvery > 0 ? Math.max(0, Math.ceil((window.end - now) / probeEvery)) : 0;

  if ('availability' in objective) {
    if (seen.length === 0) return false;
    const passed = seen.filter((s) => s.ok).length;
    const best = ((passed + remaining) / (seen.length + remaining)) * 100;
    return best < objective.availability.atLeast;
  }

  // Best case for latency: every remaining sample passes instantly.
  const o = objective.latency;
  const okMs = seen.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
  if (okMs.length === 0) return false;
  return PERCENTILE_KEYS.some((k) => o[k] !== undefined && rankWithZeros(okMs, remaining, PERCENTILE_OF[k]) > o[k]!);
}

/** Nearest-rank percentile of `sorted` with `zeros` extra 0ms values in front, without building that array. */
function rankWithZeros(sorted: readonly number[], zeros: number, p: number): number {
  const rank = nearestRank(sorted.length + zeros, p);
  return rank <= zeros ? 0 : sorted[rank - zeros - 1]!;
}
