// Reads every observer (spec.observers) on its own cadence from steady state to the end of
// observation, recording each read, failed or not, in the journal's observer logs. Reads run one
// at a time per observer: an observer that hangs is recorded as not answering, never skipped.
import { alertName, recordPoll, type AlertPoll, type AlertSource, type ObserverLog } from '../domain/alerts.js';
import type { RunContext } from '../domain/context.js';
import type { ObserverSpec } from '../domain/experiment.js';

interface Watched {
  log: ObserverLog;
  source: AlertSource;
  every: number;
  /** Readable names of the alerts firing at the last read that answered, to log changes. */
  firing: Set<string>;
}

export class AlertWatch {
  readonly logs: ObserverLog[];
  private readonly watched: Watched[];
  private readonly stopper = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    observers: Record<string, ObserverSpec>,
    source: (spec: ObserverSpec) => AlertSource,
    private readonly ctx: RunContext,
    /** Told when the set of alerts firing at an observer changes. */
    private readonly onChange: (message: string) => void,
  ) {
    this.watched = Object.entries(observers).map(([name, spec]) => {
      const s = source(spec);
      return { log: { name, kind: s.kind, url: s.url, alerts: [], polls: [] }, source: s, every: spec.every, firing: new Set<string>() };
    });
    this.logs = this.watched.map((w) => w.log);
  }

  /** One read of every observer now; each answer (or failure) is recorded and returned. */
  readAll(): Promise<{ log: ObserverLog; poll: AlertPoll }[]> {
    return Promise.all(this.watched.map(async (w) => ({ log: w.log, poll: await this.read(w) })));
  }

  start(): void {
    for (const w of this.watched) this.loops.push(this.loop(w));
  }

  async stop(): Promise<void> {
    if (this.stopper.signal.aborted) return;
    this.stopper.abort();
    await Promise.allSettled(this.loops);
  }

  private async loop(w: Watched): Promise<void> {
    let next = this.ctx.clock.now();
    while (!this.stopper.signal.aborted) {
      await this.read(w);
      next += w.every;
      const wait = next - this.ctx.clock.now();
      if (wait < 0) next = this.ctx.clock.now();
      try {
        await this.ctx.clock.sleep(Math.max(0, wait), this.stopper.signal);
      } catch {
        break;
      }
    }
  }

  private async read(w: Watched): Promise<AlertPoll> {
    const { clock } = this.ctx;
    const t = clock.now();
    // An interrupt must not turn a read into a failure: each read is bounded by its own timeout.
    try {
      const alerts = await w.source.firing(new AbortController().signal);
      const poll = recordPoll(w.log, { t, ms: clock.now() - t, ok: true }, alerts);
      this.noteChanges(w, new Set(alerts.map((a) => alertName(a.labels))));
      return poll;
    } catch (e) {
      return recordPoll(w.log, { t, ms: clock.now() - t, ok: false, error: e instanceof Error ? e.message : String(e) }, []);
    }
  }

  private noteChanges(w: Watched, now: Set<string>): void {
    const started = [...now].filter((a) => !w.firing.has(a));
    const ended = [...w.firing].filter((a) => !now.has(a));
    if (started.length) this.onChange(`observer "${w.log.name}": ${started.join(', ')} firing`);
    if (ended.length) this.onChange(`observer "${w.log.name}": ${ended.join(', ')} no longer firing`);
    w.firing = now;
  }
}
