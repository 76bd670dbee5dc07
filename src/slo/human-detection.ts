// Detection by a person in the room: the first Detected mark in the run's logbook (the live
// console) after the first injection, against the objective's `within`. Judged from the journal's
// marks alone. Without a logbook nobody could mark anything, so the verdict is unknown; with one,
// nobody marking it within `within` is a real miss: the facilitator was there to press Detected.
import type { DetectionSpec } from '../domain/alerts.js';
import { DETECTION_LABEL, type DetectedEvent } from '../domain/logbook.js';
import type { ObjectiveVerdict } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { firstInjection } from './reference.js';
import type { FaultRecord, Window } from './types.js';

/** The run's logbook, when it had one: its Detected marks, in time order. */
export interface LogbookMarks {
  detected: readonly Pick<DetectedEvent, 't' | 'by' | 'via'>[];
}

export function evaluateHumanDetection(o: DetectionSpec, logbook: LogbookMarks | undefined, faults: readonly FaultRecord[], window: Window): ObjectiveVerdict {
  const base = { objective: describeHumanDetection(o), kind: 'detection' as const, bound: o.within, unit: 'ms' as const };
  const target = `target ${formatDuration(o.within)}`;
  const injected = firstInjection(faults);
  if (injected === null) return { ...base, status: 'missed', met: false, measured: null, detail: `could not measure detection: no fault was injected (${target})`, figures: { ttdMs: null } };
  if (!logbook) {
    return { ...base, status: 'unknown', met: false, measured: null, figures: { ttdMs: null }, detail: `not judged: the run had no logbook to mark Detected in (run it with --console, or in a game day) (${target})` };
  }
  const mark = logbook.detected.find((m) => m.t >= injected);
  if (!mark) {
    const watched = Math.max(0, window.end - injected);
    if (watched < o.within) {
      return { ...base, status: 'unknown', met: false, measured: null, figures: { ttdMs: null }, detail: `could not tell: nobody had marked Detected when the run ended ${formatDuration(watched)} after the first injection, before ${formatDuration(o.within)} had passed` };
    }
    const early = logbook.detected.length ? ` (a mark made before the first injection does not count)` : '';
    return { ...base, status: 'missed', met: false, measured: null, figures: { ttdMs: null }, detail: `not detected within ${formatDuration(o.within)}: nobody marked Detected in the console${early}` };
  }
  const ttd = mark.t - injected;
  const met = ttd <= o.within;
  return { ...base, status: met ? 'met' : 'missed', met, measured: ttd, figures: { ttdMs: ttd }, detail: `${mark.by} noticed through ${DETECTION_LABEL[mark.via]} ${formatDuration(ttd)} after the first injection (${target})` };
}

export function describeHumanDetection(o: DetectionSpec): string {
  return `a person notices within ${formatDuration(o.within)}`;
}
