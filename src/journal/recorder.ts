// The journal being written: the single source of truth about a run. The engine appends to it;
// listeners (the live terminal view, the ledger) see every event as it happens. Pure: writing it
// to disk is the caller's business.
import type { WorkloadIntervalEvent } from '../domain/live-workload.js';
import type { Journal, JournalEvent, Sample, Target } from '../domain/model.js';
import { JOURNAL_SCHEMA_VERSION } from '../domain/model.js';

/** Sees every journal event and sample as it is recorded, and live-only figures (workload intervals) the journal does not keep. */
export type JournalListener = (event: JournalEvent | { t: number; type: 'sample'; sample: Sample } | WorkloadIntervalEvent) => void;

export type NewJournal = Pick<Journal, 'runId' | 'faultlineVersion' | 'experiment' | 'seed' | 'driver' | 'startedAt'>;

type EventOf<T extends JournalEvent['type']> = Omit<Extract<JournalEvent, { type: T }>, 't' | 'type'>;

export class JournalRecorder {
  readonly journal: Journal;
  private readonly listeners: JournalListener[] = [];
  private readonly byProbe = new Map<string, Sample[]>();

  constructor(init: NewJournal, private readonly now: () => number) {
    this.journal = {
      schemaVersion: JOURNAL_SCHEMA_VERSION,
      ...init,
      endedAt: init.startedAt,
      status: 'completed',
      deviated: false,
      unclean: false,
      targets: [],
      faults: [],
      events: [],
      samples: [],
      verdicts: [],
      leftovers: [],
    };
  }

  listen(l: JournalListener): void {
    this.listeners.push(l);
  }

  record<T extends JournalEvent['type']>(type: T, fields: EventOf<T>, t = this.now()): void {
    const event = { t, type, ...fields } as unknown as JournalEvent;
    this.journal.events.push(event);
    for (const l of this.listeners) l(event);
  }

  sample(s: Sample): void {
    this.journal.samples.push(s);
    const list = this.byProbe.get(s.probe) ?? [];
    this.byProbe.set(s.probe, list);
    // Samples overlap in flight and may finish out of order; keep each probe's list sorted by start.
    let i = list.length;
    while (i > 0 && list[i - 1]!.t > s.t) i--;
    list.splice(i, 0, s);
    for (const l of this.listeners) l({ t: s.t, type: 'sample', sample: s });
  }

  /** Tells the listeners without recording: the journal keeps these figures another way. */
  announce(e: WorkloadIntervalEvent): void {
    for (const l of this.listeners) l(e);
  }

  setTargets(targets: Target[]): void {
    this.journal.targets = targets;
    this.record('targets', { targets });
  }

  /** Samples of one probe in time order (a live view: do not modify). */
  samplesOf(probe: string): readonly Sample[] {
    return this.byProbe.get(probe) ?? [];
  }
}
