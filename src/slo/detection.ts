// Detection: did the team's own alerting notice the fault, and how fast? Judged from the
// observer's recorded reads alone (record first, judge later). Time to detect (TTD) runs from the
// first injection to the first read that saw the alert firing; the alert's own start
// (startsAt/activeAt) is kept beside it. A gap in the reads never turns into a pass or a miss it
// cannot prove: the verdict is unknown, with the reason.
import { alertName, detectionMatchers, detectionName, labelsMatch, type AlertPoll, type DetectionSpec, type ObserverLog } from '../domain/alerts.js';
import type { ObjectiveVerdict } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { describeHumanDetection } from './human-detection.js';
import { firstInjection, referenceInstant } from './reference.js';
import type { FaultRecord, Window } from './types.js';

export function describeDetection(o: DetectionSpec): string {
  if (o.by === 'human') return describeHumanDetection(o);
  return `${detectionName(o)} fires within ${formatDuration(o.within)}${o.resolvedWithin !== undefined ? `, resolves within ${formatDuration(o.resolvedWithin)}` : ''}`;
}

/** When a read saw what it saw. */
const seenAt = (p: AlertPoll): number => p.t + p.ms;

/** Whether a read saw an alert matching `matchers` firing; the first such alert's own start. */
export function firingIn(log: ObserverLog, p: AlertPoll, matchers: Record<string, string>): { since: number | null } | null {
  const hit = p.firing.find((f) => labelsMatch(log.alerts[f.alert] ?? {}, matchers));
  return hit ? { since: hit.since } : null;
}

/** The readable names of the alerts seen firing in reads that ended in [from, to]. */
export function alertsFiring(log: ObserverLog, from: number, to: number): string[] {
  const seen = new Set<string>();
  for (const p of log.polls) if (seenAt(p) >= from && seenAt(p) <= to) for (const f of p.firing) seen.add(alertName(log.alerts[f.alert] ?? {}));
  return [...seen].sort();
}

export interface DetectionProgress {
  /** When the alert was first seen firing after the first injection; null: not (yet). */
  detectedAt: number | null;
  /** The alert's own start at that read. */
  since: number | null;
  /** When it was first seen no longer firing after that; null: not (yet). */
  resolvedAt: number | null;
  /** The first failed read after the first injection, before the question was settled. */
  gap: AlertPoll | null;
  /** The last read that answered. */
  lastAnswer: number | null;
}

/** Walks the reads after `injected`: detection, then resolution, noting the first failed read before each is settled. */
export function detectionProgress(log: ObserverLog, o: DetectionSpec, injected: number): DetectionProgress {
  const matchers = detectionMatchers(o);
  const progress: DetectionProgress = { detectedAt: null, since: null, resolvedAt: null, gap: null, lastAnswer: null };
  const polls = [...log.polls].sort((a, b) => a.t - b.t);
  for (const p of polls) {
    if (seenAt(p) < injected) continue;
    if (!p.ok) {
      if (progress.resolvedAt === null) progress.gap ??= p;
      continue;
    }
    progress.lastAnswer = seenAt(p);
    const hit = firingIn(log, p, matchers);
    if (progress.detectedAt === null) {
      if (hit) {
        progress.detectedAt = seenAt(p);
        progress.since = hit.since;
      }
    } else if (!hit && progress.resolvedAt === null) {
      progress.resolvedAt = seenAt(p);
    }
  }
  return progress;
}

export function evaluateDetection(o: DetectionSpec, observers: readonly ObserverLog[] | undefined, faults: readonly FaultRecord[], window: Window): ObjectiveVerdict {
  const name = detectionName(o);
  const base = { objective: describeDetection(o), kind: 'detection' as const, observer: o.observer, bound: o.within, unit: 'ms' as const };
  const log = observers?.find((x) => x.name === o.observer);
  const injected = firstInjection(faults);
  const unknown = (detail: string, figures: Record<string, number | null> = {}): ObjectiveVerdict => ({ ...base, status: 'unknown', met: false, measured: null, detail, figures });
  if (injected === null) return { ...base, status: 'missed', met: false, measured: null, detail: `could not measure detection: no fault was injected (target ${formatDuration(o.within)})`, figures: { ttdMs: null } };
  if (!log) return unknown(`observer "${o.observer}" recorded nothing`);

  const p = detectionProgress(log, o, injected);
  const fired = alertsFiring(log, injected, window.end);
  const firedText = fired.length ? `alerts that fired during the run: ${fired.join(', ')}` : 'no alert fired during the run';
  const ttd = p.detectedAt === null ? null : p.detectedAt - injected;
  const figures: Record<string, number | null> = {
    ttdMs: ttd,
    alertStartMs: p.since === null ? null : p.since - injected,
    resolvedMs: null,
    reads: log.polls.length,
    failedReads: log.polls.filter((x) => !x.ok).length,
  };
  const gapText = (g: AlertPoll) => `observer "${o.observer}" (${log.url}) did not answer at +${formatDuration(Math.max(0, seenAt(g) - injected))}: ${g.error ?? 'no answer'}`;
  const gapBefore = (at: number) => p.gap !== null && seenAt(p.gap) < at;

  if (ttd === null) {
    if (p.gap && seenAt(p.gap) <= injected + o.within) return unknown(`could not tell whether ${name} fired within ${formatDuration(o.within)}: ${gapText(p.gap)}; ${firedText}`, figures);
    const observed = (p.lastAnswer ?? injected) - injected;
    if (observed < o.within) return unknown(`could not tell whether ${name} fired within ${formatDuration(o.within)}: the observer was read for only ${formatDuration(observed)} after the first injection; ${firedText}`, figures);
    return { ...base, status: 'missed', met: false, measured: null, figures, detail: `not detected within ${formatDuration(o.within)}: ${name} never fired; ${firedText}` };
  }
  const since = p.since === null ? '' : ` (the alert's own start: ${signed(p.since - injected)} after the injection)`;
  const detected = `detected in ${formatDuration(ttd)}${since}`;
  // A read that failed before the detection leaves the detection time an upper bound: enough for a pass, not for a miss.
  if (ttd > o.within && gapBefore(p.detectedAt!)) return unknown(`${name} was first seen after ${formatDuration(ttd)}, but ${gapText(p.gap!)}, so it may have fired earlier (target ${formatDuration(o.within)})`, figures);
  const detectionMet = ttd <= o.within;
  if (o.resolvedWithin === undefined) {
    return { ...base, status: detectionMet ? 'met' : 'missed', met: detectionMet, measured: ttd, figures, detail: `${detected} (target ${formatDuration(o.within)})` };
  }

  const last = referenceInstant(faults);
  if (last.at === null) return unknown(`${detected}; resolution not measured: ${last.why}`, figures);
  const resolved = p.resolvedAt === null ? null : Math.max(0, p.resolvedAt - last.at);
  figures.resolvedMs = resolved;
  figures.resolvedWithinMs = o.resolvedWithin;
  if (resolved === null) {
    if (p.gap && !gapBefore(p.detectedAt!)) return unknown(`${detected}; could not tell whether it resolved: ${gapText(p.gap)}`, figures);
    const observed = Math.max(0, (p.lastAnswer ?? last.at) - last.at);
    if (observed < o.resolvedWithin) return unknown(`${detected}; could not tell whether it resolved within ${formatDuration(o.resolvedWithin)}: still firing when reads ended ${formatDuration(observed)} after ${last.fault}`, figures);
    return { ...base, status: 'missed', met: false, measured: ttd, figures, detail: `${detected}, but still firing ${formatDuration(observed)} after ${last.fault} (targets ${formatDuration(o.within)}, resolved within ${formatDuration(o.resolvedWithin)})` };
  }
  const met = detectionMet && resolved <= o.resolvedWithin;
  return { ...base, status: met ? 'met' : 'missed', met, measured: ttd, figures, detail: `${detected}, resolved ${formatDuration(resolved)} after ${last.fault} (targets ${formatDuration(o.within)}, resolved within ${formatDuration(o.resolvedWithin)})` };
}

function signed(ms: number): string {
  return ms < 0 ? `-${formatDuration(-ms)}` : formatDuration(ms);
}
