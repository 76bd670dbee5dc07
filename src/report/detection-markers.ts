// Broken, noticed, recovered: the instants a detection report puts side by side. "Broken" is the
// first injection, "noticed" each detection objective's first sight of its alert, "recovered"
// each recovery objective's recovery point, "resolved" the alert's end when it was judged. Pure.
import type { Journal, ObjectiveVerdict } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { firstInjection, referenceInstant } from '../slo/index.js';
import { shortOffset } from './format.js';

export interface Marker {
  kind: 'broken' | 'noticed' | 'resolved' | 'recovered';
  t: number;
  /** "InstanceDown fires within 2m", or the first fault's name. */
  label: string;
}

/** The `after` of the recovery objective a verdict judged, read from the journal's copy of the spec. */
function recoveryAfter(j: Journal, index: number): string | undefined {
  const spec = j.experiment.spec as { objectives?: { recovery?: { after?: string } }[] } | null;
  return spec?.objectives?.[index]?.recovery?.after;
}

export function detectionMarkers(j: Journal): Marker[] {
  const injected = firstInjection(j.faults);
  if (injected === null || !j.verdicts.some((v) => v.kind === 'detection')) return [];
  const first = j.faults.filter((f) => f.injectedAt === injected)[0]!;
  const markers: Marker[] = [{ kind: 'broken', t: injected, label: `${first.name} (${first.kind})` }];
  j.verdicts.forEach((v: ObjectiveVerdict, i) => {
    if (v.kind === 'detection') {
      const ttd = v.figures.ttdMs ?? null;
      if (ttd !== null) markers.push({ kind: 'noticed', t: injected + ttd, label: v.objective });
      const resolved = v.figures.resolvedMs ?? null;
      const last = referenceInstant(j.faults).at;
      if (resolved !== null && last !== null) markers.push({ kind: 'resolved', t: last + resolved, label: v.objective });
    }
    if (v.kind === 'recovery' && v.measured !== null && v.status !== 'unknown') {
      const ref = referenceInstant(j.faults, recoveryAfter(j, i)).at;
      if (ref !== null) markers.push({ kind: 'recovered', t: ref + v.measured, label: v.objective });
    }
  });
  return markers.sort((a, b) => a.t - b.t);
}

/** "broken +1.0s (kill-1) → noticed +3.2s (InstanceDown ..., 2.2s after) → recovered +4.1s (...)", or null without a detection objective. */
export function detectionLine(j: Journal): string | null {
  const markers = detectionMarkers(j);
  if (!markers.length) return null;
  const broken = markers[0]!.t;
  // Unknown is not a miss: with no observer reads or no logbook, nobody can say it went unnoticed.
  const missing = j.verdicts.filter((v) => v.kind === 'detection' && v.figures.ttdMs == null).map((v) => `${v.status === 'unknown' ? 'not judged' : 'not noticed'}: ${v.objective}`);
  const parts = markers.map((m) => `${m.kind} ${shortOffset(m.t, j.startedAt)} (${m.kind === 'broken' ? m.label : `${m.label}; ${formatDuration(Math.max(0, m.t - broken))} after`})`);
  return [...parts, ...missing].join(' → ');
}
