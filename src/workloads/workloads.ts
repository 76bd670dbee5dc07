// All of an experiment's workloads, as the engine drives them: connect to every store before
// steady state (an unreachable one is an environment error, before any fault), run the
// generators from steady state through the recovery window, stop them, read back, and say what
// the journal keeps. Clients are closed on every path.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../domain/context.js';
import { EnvironmentError } from '../domain/errors.js';
import type { FinalRead, Operation } from '../domain/history.js';
import type { WorkloadInterval } from '../domain/live-workload.js';
import type { WorkloadCounts, WorkloadRunRecord } from '../domain/model.js';
import type { WorkloadSpec } from '../domain/workload.js';
import type { RunCommand } from '../domain/command.js';
import { classify, type OperationClient } from './clients/client.js';
import { createReadClient, createWriteClient } from './clients/index.js';
import { finalRead } from './final-read.js';
import { JsonLinesFile, readJsonLines } from './history-file.js';
import { IntervalMeter } from './interval-meter.js';
import { operationNaming } from './operation-naming.js';
import { WorkloadRunner } from './workload-runner.js';

export const HISTORY_FILE = 'history.jsonl';
export const FINAL_READS_FILE = 'final-reads.jsonl';

export interface WorkloadsOptions {
  clock: Clock;
  runId: string;
  /** Where history.jsonl is written: the run directory, beside the journal. Default: a new temporary directory. */
  dir?: string;
  runCommand: RunCommand;
  /** Working directory of exec clients. */
  cwd: string;
  redact?: (text: string) => string;
  /** Receives each workload's figures every `intervalMs` while the generators run, and the last part-interval when they stop (the live views' curves). */
  onInterval?: (interval: WorkloadInterval) => void;
  /** Default 1000. */
  intervalMs?: number;
}

const DEFAULT_INTERVAL_MS = 1000;

interface Entry {
  name: string;
  spec: WorkloadSpec;
  write: OperationClient;
  read: OperationClient | undefined;
  runner: WorkloadRunner;
  meter: IntervalMeter;
  finalRead: WorkloadCounts['finalRead'];
}

export class Workloads {
  readonly historyFile: string;
  readonly finalReadsFile: string;
  /** Every final read, in memory for the checkers (one small object per key read back). */
  readonly finalReads: FinalRead[] = [];
  startedAt: number | null = null;
  stoppedAt: number | null = null;
  private readonly history: JsonLinesFile<Operation>;
  private readonly entries: Entry[];
  private readBack = false;
  private readonly ticker = new AbortController();
  private ticking: Promise<void> | undefined;

  private constructor(specs: Record<string, WorkloadSpec>, private readonly opts: WorkloadsOptions) {
    const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), `faultline-${opts.runId}-`));
    this.historyFile = path.join(dir, HISTORY_FILE);
    this.finalReadsFile = path.join(dir, FINAL_READS_FILE);
    this.history = new JsonLinesFile(this.historyFile);
    this.entries = Object.entries(specs).map(([name, spec]) => {
      const deps = { maxInFlight: spec.maxInFlight, runCommand: opts.runCommand, cwd: opts.cwd };
      const write = createWriteClient(spec.write, deps);
      const read = spec.read ? createReadClient(spec.read, { ...deps, maxInFlight: spec.finalRead.concurrency }) : undefined;
      const meter = new IntervalMeter(name, opts.clock.now());
      const record = (op: Operation) => {
        this.history.append(op);
        meter.add(op);
      };
      const runner = new WorkloadRunner(name, spec, write, operationNaming(opts.runId, name), opts.clock, record, opts.redact);
      return { name, spec, write, read, runner, meter, finalRead: null };
    });
  }

  /**
   * Creates every client and reaches every store. Throws EnvironmentError (exit 3) naming the
   * workload and address when one cannot be reached; nothing is left open then.
   */
  static async connect(specs: Record<string, WorkloadSpec>, opts: WorkloadsOptions, signal: AbortSignal): Promise<Workloads | undefined> {
    if (Object.keys(specs).length === 0) return undefined;
    const w = new Workloads(specs, opts);
    try {
      await Promise.all(w.entries.flatMap((e) => [e.write, ...(e.read ? [e.read] : [])].map(async (client) => {
        try {
          await prepareOnceStarted(client, opts.clock, signal);
        } catch (err) {
          if (signal.aborted) throw err;
          throw new EnvironmentError(`workload "${e.name}" cannot reach its store at ${client.address}: ${classify(err).error}; steady state needs every workload's store, so no fault was injected`);
        }
      })));
    } catch (err) {
      await w.close();
      throw err;
    }
    return w;
  }

  start(): void {
    this.startedAt = this.opts.clock.now();
    for (const e of this.entries) {
      e.meter.take(this.startedAt);
      e.runner.start();
    }
    if (this.opts.onInterval) this.ticking = this.tick(this.opts.onInterval);
  }

  /** Stops every generator and waits for the operations in flight. Idempotent. */
  async stop(): Promise<void> {
    if (this.startedAt === null || this.stoppedAt !== null) return;
    try {
      await Promise.all(this.entries.map((e) => e.runner.stop()));
    } finally {
      // Even when a generator's stop fails: the interval loop must not outlive the workloads.
      this.stoppedAt = this.opts.clock.now();
      this.ticker.abort();
    }
    await this.ticking;
    // The operations completed since the last full interval, so a curve ends where the workload did.
    if (this.opts.onInterval) this.report(this.opts.onInterval, this.stoppedAt);
  }

  private async tick(onInterval: (interval: WorkloadInterval) => void): Promise<void> {
    const every = this.opts.intervalMs ?? DEFAULT_INTERVAL_MS;
    for (;;) {
      try {
        await this.opts.clock.sleep(every, this.ticker.signal);
      } catch {
        return;
      }
      this.report(onInterval, this.opts.clock.now());
    }
  }

  private report(onInterval: (interval: WorkloadInterval) => void, now: number): void {
    for (const e of this.entries) if (e.meter.worthTaking(now)) onInterval(e.meter.take(now));
  }

  /** Reads back every acknowledged and unknown write of each workload that has a `read`. */
  async finalRead(signal: AbortSignal): Promise<void> {
    await this.stop();
    const out = new JsonLinesFile<FinalRead>(this.finalReadsFile);
    this.readBack = true;
    try {
      await Promise.all(this.entries.map(async (e) => {
        if (!e.read) return;
        const began = this.opts.clock.now();
        const counts = await finalRead({
          workload: e.name,
          client: e.read,
          seqs: e.runner.toReadBack,
          naming: operationNaming(this.opts.runId, e.name),
          clock: this.opts.clock,
          timeout: e.spec.read!.timeout,
          within: e.spec.finalRead.within,
          concurrency: e.spec.finalRead.concurrency,
          signal,
          record: (r) => {
            this.finalReads.push(r);
            out.append(r);
          },
          ...(this.opts.redact ? { redact: this.opts.redact } : {}),
        });
        e.finalRead = { keys: e.runner.toReadBack.length, ...counts, ms: this.opts.clock.now() - began };
      }));
    } finally {
      await out.close();
    }
  }

  /** The history as written, one operation at a time (for checkers that stream). */
  async *operations(): AsyncGenerator<Operation> {
    // Appends are buffered by the write stream: read only once what was recorded has reached the
    // file (a reader right after stop() once found the last operations missing on a busy machine).
    await this.history.flushed();
    yield* readJsonLines<Operation>(this.historyFile);
  }

  /** What the journal keeps. `faults` gives the phase bounds. */
  record(faults: readonly { injectedAt: number | null; revertedAt: number | null; instant: boolean }[]): WorkloadRunRecord {
    const injected = faults.flatMap((f) => (f.injectedAt === null ? [] : [f.injectedAt]));
    const ends = faults.flatMap((f) => (f.revertedAt !== null ? [f.revertedAt] : f.instant && f.injectedAt !== null ? [f.injectedAt] : []));
    return {
      history: this.historyFile,
      finalReads: this.readBack ? this.finalReadsFile : null,
      phases: this.startedAt === null ? null : {
        baselineStart: this.startedAt,
        faultStart: injected.length ? Math.min(...injected) : null,
        faultEnd: ends.length ? Math.max(...ends) : null,
        end: this.stoppedAt ?? this.opts.clock.now(),
      },
      counts: this.entries.map((e) => ({ workload: e.name, rate: e.spec.rate, ...e.runner.counts, finalRead: e.finalRead })),
    };
  }

  /** Stops everything and closes every client and the history file. Safe on every path. */
  async close(): Promise<void> {
    await this.stop();
    await Promise.allSettled(this.entries.flatMap((e) => [e.write.close(), ...(e.read ? [e.read.close()] : [])]));
    await this.history.close();
  }
}

/** How long a store that says it is starting up (PostgreSQL 57P03, Redis LOADING) is waited for before it counts as unreachable. */
const STARTING_PATIENCE_MS = 30_000;
const STARTING = /\b57P03\b|the database system is starting up|^LOADING\b/;

/**
 * A service's `ready` check sees a port accept connections; PostgreSQL accepts them a moment before
 * it answers queries ("the database system is starting up"). That is not an unreachable store:
 * it is waited for, within a bound. Any other failure is reported at once.
 */
async function prepareOnceStarted(client: { prepare(signal: AbortSignal): Promise<void> }, clock: Clock, signal: AbortSignal): Promise<void> {
  const deadline = clock.now() + STARTING_PATIENCE_MS;
  for (;;) {
    try {
      return await client.prepare(signal);
    } catch (err) {
      const text = `${(err as { code?: unknown }).code ?? ''} ${err instanceof Error ? err.message : String(err)}`.trim();
      if (!STARTING.test(text) || clock.now() >= deadline) throw err;
      await clock.sleep(100, signal);
    }
  }
}
