// The scheduler: sleeps until the next instant of the timeline, decides whether the experiment
// may start (halt lock, pause, leadership, concurrency, overlapping victims, engine back-off),
// starts it through the injected runner, and logs every decision. Time comes from the injected
// Clock only, so tests compress hours into seconds; the halt lock is polled and aborts running
// experiments, which then revert like any interrupted run.
import type { Clock, Logger } from '../domain/context.js';
import { EnvironmentError, FaultlineError } from '../domain/errors.js';
import type { Journal } from '../domain/model.js';
import type { JournalListener } from '../journal/recorder.js';
import type { ScheduleStateStore } from './schedule-state.js';
import type { Slot, Timeline } from './timeline.js';

export interface ExperimentRunner {
  /** One run through the normal lifecycle. Rejects with an EnvironmentError when the engine or cluster cannot be used. */
  run(slot: Slot, interrupt: AbortSignal, listen: JournalListener): Promise<Journal>;
  /** The victims (driver-qualified ids) the slot's run would pick; only asked when concurrency > 1. */
  victims?(slot: Slot): Promise<string[]>;
}

/** The global kill switch. */
export interface HaltSwitch {
  isHalted(): Promise<boolean>;
}

export interface Leadership {
  isLeader(): boolean;
}

export interface SchedulerEvents {
  nextInstant(at: number | undefined): void;
  started(experiment: string): void;
  finished(experiment: string, journal: Journal): void;
  errored(experiment: string, kind: 'environment' | 'invalid' | 'error'): void;
  skipped(experiment: string, reason: SkipReason): void;
  listener(experiment: string): JournalListener;
  state(s: { paused: boolean; halted: boolean; leader: boolean }): void;
}

export type SkipReason = 'late' | 'halted' | 'paused' | 'not-leader' | 'busy' | 'overlap' | 'backoff';

export interface SchedulerOptions {
  timeline: Timeline;
  /** Experiment names, by index, for logs and metrics. */
  experiments: string[];
  concurrency: number;
  onObjectiveMissed: 'pause' | 'continue';
  clock: Clock;
  log: Logger;
  runner: ExperimentRunner;
  state: ScheduleStateStore;
  halt: HaltSwitch;
  leader?: Leadership;
  events?: Partial<SchedulerEvents>;
  /** A due instant older than this is skipped (the machine slept, the daemon was down). Default 15m. */
  maxLateness?: number;
  /** How often the halt lock is checked while waiting or running. Default 1s. */
  pollMs?: number;
  /** First back-off after the engine is lost; doubles up to maxBackoffMs. Default 30s and 10m. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

interface Running {
  slot: Slot;
  name: string;
  abort: AbortController;
  victims: string[];
  done: Promise<Journal | undefined>;
}

/** Stands for "could be anything": overlaps every other experiment. */
const UNKNOWN_VICTIMS = '\u0000unknown';

const iso = (t: number) => new Date(t).toISOString().replace(/:00\.000Z$/, 'Z');

export class Scheduler {
  private readonly running = new Set<Running>();
  private readonly maxLateness: number;
  private readonly pollMs: number;
  private backoff: { until: number; delay: number; retry?: Slot } | undefined;
  private halted = false;
  private paused = false;

  constructor(private readonly o: SchedulerOptions) {
    this.maxLateness = o.maxLateness ?? 15 * 60_000;
    this.pollMs = o.pollMs ?? 1000;
  }

  private get log(): Logger {
    return this.o.log;
  }

  private name(slot: Slot): string {
    return this.o.experiments[slot.experiment] ?? `#${slot.experiment}`;
  }

  /** Runs until `signal` aborts; running experiments are then interrupted (they revert) and awaited. */
  async runDaemon(signal: AbortSignal): Promise<void> {
    const { clock } = this.o;
    // A daemon that never ran starts from now; one restarted catches up on what it missed, within maxLateness.
    let cursor = await this.startCursor(clock.now());
    let announced: number | undefined;
    try {
      while (!signal.aborted) {
        await this.checkHalt();
        const now = clock.now();
        if (this.backoff?.retry && now >= this.backoff.until) {
          const retry = this.backoff.retry;
          this.backoff.retry = undefined;
          if (now - retry.at <= this.maxLateness) await this.decide(retry, signal, 'retry');
          else this.log.warn(`schedule: ${iso(retry.at)} ${this.name(retry)}: not retried, now more than ${Math.round(this.maxLateness / 60_000)}m late`);
        }
        const slot = this.o.timeline.after(cursor);
        this.o.events?.nextInstant?.(slot?.at);
        if (!slot) {
          this.log.warn('schedule: no instant in the next 400 days; waiting');
          await this.sleep(this.pollMs * 60, signal);
          continue;
        }
        if (slot.at > now) {
          if (announced !== slot.at) this.log.info(`schedule: next: ${iso(slot.at)} ${this.name(slot)}`);
          announced = slot.at;
          await this.sleep(Math.min(slot.at - now, this.pollMs), signal);
          continue;
        }
        cursor = slot.at;
        await this.o.state.update((s) => ({ ...s, lastInstant: slot.at }));
        if (now - slot.at > this.maxLateness) {
          this.skip(slot, 'late', `${Math.round((now - slot.at) / 60_000)}m late (more than ${Math.round(this.maxLateness / 60_000)}m)`);
          continue;
        }
        await this.decide(slot, signal);
      }
    } catch (e) {
      if (!signal.aborted) throw e;
    } finally {
      await this.stopAll(String(signal.reason ?? 'stop'));
    }
  }

  /**
   * `--once`: the latest due instant not handled yet (at most maxLateness old) is run and awaited;
   * older ones are logged as skipped. Returns the run's journal, or undefined when nothing ran.
   */
  async runOnce(signal: AbortSignal): Promise<Journal | undefined> {
    const now = this.o.clock.now();
    const cursor = await this.startCursor();
    const due = this.o.timeline.between(cursor + 1, now + 1);
    const next = this.o.timeline.after(now);
    this.o.events?.nextInstant?.(next?.at);
    if (due.length === 0) {
      this.log.info(`schedule: nothing due${next ? `; next: ${iso(next.at)} ${this.name(next)}` : ''}`);
      return undefined;
    }
    const older = due.slice(0, -1);
    if (older.length <= 3) for (const old of older) this.skip(old, 'late', 'a later instant is also due');
    else {
      for (const old of older) this.o.events?.skipped?.(this.name(old), 'late');
      this.log.info(`schedule: skipped ${older.length} earlier instants (${iso(older[0]!.at)} to ${iso(older.at(-1)!.at)}): a later one is also due`);
    }
    const slot = due.at(-1)!;
    await this.o.state.update((s) => ({ ...s, lastInstant: slot.at }));
    await this.checkHalt();
    const run = await this.decide(slot, signal);
    if (!run) return undefined;
    const watching = this.watchHaltUntil(run.done, signal);
    const journal = await run.done;
    await watching;
    return journal;
  }

  /** Interrupts every running experiment (they revert); the schedule itself goes on. */
  interruptRuns(reason: string): void {
    for (const r of this.running) if (!r.abort.signal.aborted) r.abort.abort(reason);
  }

  /** Slots strictly after this instant are candidates. */
  private async startCursor(fresh?: number): Promise<number> {
    const { lastInstant } = await this.o.state.read();
    if (lastInstant === undefined && fresh !== undefined) return fresh;
    return Math.max(lastInstant ?? -Infinity, this.o.clock.now() - this.maxLateness - 1);
  }

  private async decide(slot: Slot, signal: AbortSignal, why = 'due'): Promise<Running | undefined> {
    const name = this.name(slot);
    if (this.halted) return void this.skip(slot, 'halted', 'the halt lock is set (faultline halt --release lifts it)');
    const { paused } = await this.o.state.read();
    this.paused = paused !== undefined;
    this.reportState();
    if (paused) return void this.skip(slot, 'paused', `paused since ${iso(paused.since)} after ${paused.experiment} missed an objective (run ${paused.runId}); faultline schedule resume clears it`);
    if (this.o.leader && !this.o.leader.isLeader()) return void this.skip(slot, 'not-leader', 'another replica holds the lease');
    if (this.backoff && this.o.clock.now() < this.backoff.until) return void this.skip(slot, 'backoff', `backing off after the engine was lost, until ${iso(this.backoff.until)}`);
    if (this.running.size >= this.o.concurrency) {
      return void this.skip(slot, 'busy', `${[...this.running].map((r) => r.name).join(', ')} still running (concurrency ${this.o.concurrency})`);
    }
    if ([...this.running].some((r) => r.slot.experiment === slot.experiment)) return void this.skip(slot, 'overlap', 'the same experiment is still running');
    let victims: string[] = [];
    // Planned even when nothing runs yet: the next starter compares against these.
    if (this.o.concurrency > 1 && this.o.runner.victims) {
      try {
        victims = await this.o.runner.victims(slot);
      } catch (e) {
        if (this.running.size > 0) {
          this.log.warn(`schedule: ${iso(slot.at)} ${name}: could not plan its victims (${message(e)}); it starts only when nothing else runs`);
          return void this.skip(slot, 'overlap', 'victims unknown while another experiment runs');
        }
        victims = [UNKNOWN_VICTIMS];
      }
      const busy = new Set([...this.running].flatMap((r) => r.victims));
      if (busy.has(UNKNOWN_VICTIMS)) return void this.skip(slot, 'overlap', 'a running experiment has victims that could not be planned');
      const shared = victims.filter((v) => busy.has(v));
      if (shared.length > 0) return void this.skip(slot, 'overlap', `targets ${shared.join(', ')} are under another experiment`);
    }
    return this.start(slot, victims, signal, why);
  }

  private start(slot: Slot, victims: string[], signal: AbortSignal, why: string): Running {
    const name = this.name(slot);
    const abort = new AbortController();
    const onStop = () => abort.abort(signal.reason ?? 'stop');
    signal.addEventListener('abort', onStop, { once: true });
    this.log.info(`schedule: ${iso(slot.at)} ${name}: starting (${why}; seed ${slot.seed})`);
    this.o.events?.started?.(name);
    const listen = this.o.events?.listener?.(name) ?? (() => {});
    const entry: Running = { slot, name, abort, victims, done: Promise.resolve(undefined) };
    entry.done = this.o.runner
      .run(slot, abort.signal, listen)
      .then((journal) => this.finished(slot, journal))
      .catch((e: unknown) => this.failed(slot, e))
      .finally(() => {
        signal.removeEventListener('abort', onStop);
        this.running.delete(entry);
      });
    this.running.add(entry);
    return entry;
  }

  private async finished(slot: Slot, journal: Journal): Promise<Journal> {
    const name = this.name(slot);
    this.backoff = undefined;
    this.o.events?.finished?.(name, journal);
    const met = journal.verdicts.filter((v) => v.met).length;
    const verdicts = journal.verdicts.length ? `, ${met}/${journal.verdicts.length} objectives met` : '';
    this.log.info(`schedule: ${iso(slot.at)} ${name}: ${journal.status}${journal.unclean ? ' (unclean)' : ''}${verdicts} (run ${journal.runId})`);
    if (journal.deviated && this.o.onObjectiveMissed === 'pause') {
      const missed = journal.verdicts.filter((v) => !v.met).map((v) => v.objective);
      await this.o.state.update((s) => ({ ...s, paused: { since: this.o.clock.now(), experiment: name, runId: journal.runId, reason: `missed: ${missed.join('; ')}` } }));
      this.log.warn(`schedule: paused: ${name} missed ${missed.join('; ')}; no experiment starts until faultline schedule resume`);
      this.paused = true;
      this.reportState();
    }
    return journal;
  }

  private failed(slot: Slot, e: unknown): undefined {
    const name = this.name(slot);
    if (e instanceof EnvironmentError) {
      const delay = Math.min(this.backoff ? this.backoff.delay * 2 : (this.o.backoffMs ?? 30_000), this.o.maxBackoffMs ?? 600_000);
      this.backoff = { until: this.o.clock.now() + delay, delay, retry: slot };
      this.o.events?.errored?.(name, 'environment');
      this.log.error(`schedule: ${iso(slot.at)} ${name}: the environment cannot be used: ${e.message}; backing off ${Math.round(delay / 1000)}s, then retrying; the schedule is kept`);
    } else if (e instanceof FaultlineError) {
      this.o.events?.errored?.(name, 'invalid');
      this.log.error(`schedule: ${iso(slot.at)} ${name}: refused: ${e.message}`);
    } else {
      this.o.events?.errored?.(name, 'error');
      this.log.error(`schedule: ${iso(slot.at)} ${name}: failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    return undefined;
  }

  private skip(slot: Slot, reason: SkipReason, detail: string): void {
    this.o.events?.skipped?.(this.name(slot), reason);
    this.log.info(`schedule: ${iso(slot.at)} ${this.name(slot)}: skipped: ${detail}`);
  }

  /** Polls the halt lock; when it appears, every running experiment is interrupted and reverts. */
  private async checkHalt(): Promise<void> {
    let now: boolean;
    try {
      now = await this.o.halt.isHalted();
    } catch (e) {
      // Unknown is treated as halted: starting chaos on a guess is the wrong way to fail.
      this.log.warn(`schedule: cannot read the halt lock (${message(e)}); treating it as set`);
      now = true;
    }
    if (now && !this.halted) {
      this.log.warn(`schedule: halt lock set: ${this.running.size ? `interrupting ${[...this.running].map((r) => r.name).join(', ')}; ` : ''}no experiment starts until it is released`);
    } else if (!now && this.halted) this.log.info('schedule: halt lock released');
    this.halted = now;
    if (now) for (const r of this.running) if (!r.abort.signal.aborted) r.abort.abort('halt');
    this.reportState();
  }

  private reportState(): void {
    this.o.events?.state?.({ paused: this.paused, halted: this.halted, leader: this.o.leader?.isLeader() ?? true });
  }

  private async watchHaltUntil(done: Promise<unknown>, signal: AbortSignal): Promise<void> {
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished) {
      await this.checkHalt();
      await Promise.race([done, this.sleep(this.pollMs, signal).catch(() => undefined)]);
    }
  }

  private async stopAll(reason: string): Promise<void> {
    this.interruptRuns(reason);
    await Promise.all([...this.running].map((r) => r.done));
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.o.clock.sleep(Math.max(0, ms), signal);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
