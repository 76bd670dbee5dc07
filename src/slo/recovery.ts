// Recovery: how long after the reference instant the probe was healthy again, "healthy" meaning
// `consecutive` passing samples in a row. The recovery point is the START of that run, because
// the service was already back when the first of them passed; the later ones only confirm it.
import type { ObjectiveVerdict, Sample } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { describeRecovery } from './describe.js';
import { firstInjection, referenceInstant } from './reference.js';
import { samplesOf, within } from './select.js';
import type { FaultRecord, RecoverySpec, Window } from './types.js';

/**
 * Start time of the first run of `consecutive` passing samples that starts at or after `from`,
 * or null when the samples end before such a run completes. `ordered` must be sorted by t.
 */
export function recoveryPoint(ordered: readonly Sample[], from: number, consecutive: number): number | null {
  let runStart: number | null = null;
  let runLength = 0;
  for (const s of ordered) {
    if (s.t < from) continue;
    if (!s.ok) {
      runStart = null;
      runLength = 0;
      continue;
    }
    if (runStart === null) runStart = s.t;
    if (++runLength >= consecutive) return runStart;
  }
  return null;
}

/**
 * `settles` names the count objectives' samples: when declared, "recovered" also waits until each
 * holds again for `consecutive` instants, so a service answering during split brain is not recovered.
 */
export function evaluateRecovery(o: RecoverySpec, samples: readonly Sample[], faults: readonly FaultRecord[], window: Window, settles: readonly string[] = []): ObjectiveVerdict {
  const objective = describeRecovery(o);
  const ordered = samplesOf(samples, o.probe);
  const base = { objective, kind: 'recovery' as const, probe: o.probe, bound: o.within, unit: 'ms' as const };
  const inWindow = within(ordered, window.start, window.end);
  const failedSamples = inWindow.filter((s) => !s.ok).length;

  const ref = referenceInstant(faults, o.after);
  if (ref.at === null) {
    return {
      ...base, status: 'missed', met: false, measured: null,
      detail: `could not measure recovery: ${ref.why} (target ${formatDuration(o.within)})`,
      figures: { recoveryMs: null, timeToImpactMs: null, outageMs: null, failedSamples, samples: inWindow.length },
    };
  }

  const injected = firstInjection(faults) ?? window.start;
  const firstFailure = ordered.find((s) => !s.ok && s.t >= injected);
  const timeToImpactMs = firstFailure ? firstFailure.t - injected : null;
  const probePoint = recoveryPoint(ordered, ref.at, o.consecutive);
  const settled = settles.map((name) => ({ name, at: recoveryPoint(samplesOf(samples, name), ref.at, o.consecutive) }));
  const unsettled = settled.filter((s) => s.at === null).map((s) => s.name);
  const lastSettled = settled.reduce<{ name: string; at: number } | null>((a, s) => (s.at !== null && s.at > (a?.at ?? -Infinity) ? { name: s.name, at: s.at } : a), null);
  const waited = probePoint !== null && lastSettled !== null && lastSettled.at > probePoint ? lastSettled : null;
  const point = probePoint === null || unsettled.length ? null : (waited?.at ?? probePoint);
  // An outage only counts if it happened before the recovery point; a blip after recovery is not the fault's outage.
  const outageStart = ordered.find((s) => !s.ok && s.t >= Math.min(injected, ref.at) && (point === null || s.t < point));
  const outageMs = outageStart && point !== null ? point - outageStart.t : null;
  const figures = { recoveryMs: point === null ? null : point - ref.at, timeToImpactMs, outageMs, failedSamples, samples: inWindow.length };

  if (point === null) {
    const observed = Math.max(0, Math.max(window.end, ordered.at(-1)?.t ?? window.end) - ref.at);
    const why = probePoint !== null ? `: ${unsettled.join(', ')} did not hold again` : ordered.some((s) => s.t >= ref.at) ? '' : ': no samples after the reference instant';
    return {
      ...base, status: 'missed', met: false, measured: null, figures,
      detail: `did not recover within the ${formatDuration(observed)} observed after ${ref.fault}${why} (target ${formatDuration(o.within)})`,
    };
  }
  const measured = point - ref.at;
  const met = measured <= o.within;
  const never = waited ? ` (the probe passed after ${formatDuration(probePoint! - ref.at)}; ${waited.name} held again only then)` : !firstFailure ? ', the probe never failed' : '';
  return {
    ...base, status: met ? 'met' : 'missed', met, measured, figures,
    detail: `recovered in ${formatDuration(measured)} after ${ref.fault}${never} (target ${formatDuration(o.within)})`,
  };
}
