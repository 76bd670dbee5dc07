// The logbook of a game day: what people in the room said (notes) and when someone noticed the
// fault (Detected marks), typed by the facilitator in the live console. Each entry is a journal
// event (`note`, `detected`), stamped when it was made; the human time to detect is derived from
// the journal, never stored twice. Pure.
import type { Journal, JournalEvent } from './model.js';

/** How a person noticed: the choices the console offers, in its order. */
export const DETECTION_CHANNELS = ['alert', 'dashboard', 'customer-report', 'person'] as const;
export type DetectionChannel = (typeof DETECTION_CHANNELS)[number];

export const DETECTION_LABEL: Record<DetectionChannel, string> = {
  alert: 'an alert',
  dashboard: 'a dashboard',
  'customer-report': 'a customer report',
  person: 'a person',
};

/** Bounds on what the console accepts: a note is a sentence or a paragraph, not a file. */
export const LOGBOOK_LIMITS = { text: 2000, by: 100 } as const;

export type NoteEvent = Extract<JournalEvent, { type: 'note' }>;
export type DetectedEvent = Extract<JournalEvent, { type: 'detected' }>;
export type LogbookEvent = NoteEvent | DetectedEvent;

export function logbookOf(journal: Pick<Journal, 'events'>): LogbookEvent[] {
  return journal.events.filter((e): e is LogbookEvent => e.type === 'note' || e.type === 'detected');
}

export interface HumanDetection {
  mark: DetectedEvent;
  /** From the first successful injection to the mark; null when the mark came before any fault. */
  afterMs: number | null;
}

/** The human time to detect: the first Detected mark, measured from the first fault injected. */
export function humanDetection(journal: Pick<Journal, 'events'>): HumanDetection | undefined {
  const mark = journal.events.find((e): e is DetectedEvent => e.type === 'detected');
  if (!mark) return undefined;
  const first = journal.events.find((e) => e.type === 'inject' && e.ok && e.t <= mark.t);
  return { mark, afterMs: first ? mark.t - first.t : null };
}
