// A game day: the scenario's steps in order. Each experiment is a normal run with its own journal
// (the caller runs it exactly as `faultline run` would); a manual gate waits for the facilitator;
// a wait polls a probe until it has recovered. A halt (the lock, from `faultline halt`) or an
// interrupt stops the whole scenario: the step under way is reverted by its own run, later steps
// never start. The scenario journal is handed to `record` after every change.
import type { Clock, Logger } from '../domain/context.js';
import type { Journal } from '../domain/model.js';
import type { ScenarioJournal, ScenarioStatus, ScenarioStepRecord } from '../domain/scenario-journal.js';
import { formatDuration } from '../domain/units.js';
import { abortReason } from '../runtime/system-clock.js';
import type { Probe } from '../probes/probe.js';
import { EXIT } from './outcome.js';

type ExperimentRecord = Extract<ScenarioStepRecord, { kind: 'experiment' }>;

export type ScenarioStepInput<E> =
  | { kind: 'experiment'; label: string; experiment: string; file: string; picked?: { from: string; among: string[] }; payload: E }
  | { kind: 'gate'; label: string; prompt?: string }
  | { kind: 'wait'; label: string; probe: Probe; of: string; atMost: number; consecutive: number };

export interface StepRun {
  code: number;
  journal: Journal;
  /** Relative to the scenario's run directory. */
  runDir: string;
  journalFile: string;
}

export interface ScenarioRunRequest<E> {
  header: Pick<ScenarioJournal, 'runId' | 'faultlineVersion' | 'scenario' | 'seed'>;
  steps: ScenarioStepInput<E>[];
  clock: Clock;
  /** Ctrl-C, SIGTERM (which is also what `faultline halt` sends a live run). */
  interrupt: AbortSignal;
  log: Logger;
  runExperiment(payload: E, interrupt: AbortSignal): Promise<StepRun>;
  /** Resolves with who advanced the gate ("terminal", "console"...); rejects when it can never be advanced. */
  gate(label: string, prompt: string | undefined, signal: AbortSignal): Promise<string>;
  /** The halt lock's description while `faultline halt` is in force. */
  halted(): string | undefined;
  record(journal: ScenarioJournal): Promise<void>;
  /** Told as each step starts: the console files logbook entries made between experiments under the step under way. */
  onStep?(step: { label: string; kind: ScenarioStepInput<E>['kind'] }): void;
  /** How often the halt lock is looked at during gates and waits, ms. */
  haltPollMs?: number;
}

/** Worst first: an unclean step outranks everything, then an interrupt, an abort, a miss. */
const RANK: readonly number[] = [EXIT.ok, EXIT.objectiveMissed, EXIT.aborted, EXIT.interrupted, EXIT.unclean];
export function worstExit(a: number, b: number): number {
  const rank = (c: number) => (RANK.includes(c) ? RANK.indexOf(c) : RANK.length);
  return rank(b) > rank(a) ? b : a;
}

class Stop extends Error {
  constructor(readonly status: Exclude<ScenarioStatus, 'running' | 'completed'>, message: string) {
    super(message);
  }
}

export async function runScenario<E>(req: ScenarioRunRequest<E>): Promise<ScenarioJournal> {
  const { clock } = req;
  const journal: ScenarioJournal = {
    schemaVersion: 1,
    kind: 'Scenario',
    ...req.header,
    startedAt: clock.now(),
    endedAt: null,
    status: 'running',
    exitCode: null,
    steps: req.steps.map(notStarted),
  };
  let code: number = EXIT.ok;
  await req.record(journal);
  try {
    for (const [i, step] of req.steps.entries()) {
      checkStop(req);
      req.onStep?.({ label: step.label, kind: step.kind });
      if (step.kind === 'experiment') {
        const rec = journal.steps[i] as ExperimentRecord;
        rec.startedAt = clock.now();
        req.log.info(`step ${step.label}: experiment ${step.experiment}`);
        let run: StepRun;
        try {
          run = await req.runExperiment(step.payload, req.interrupt);
        } catch (e) {
          rec.outcome = 'failed-to-start';
          rec.endedAt = clock.now();
          rec.error = e instanceof Error ? e.message : String(e);
          const exitCode = (e as { exitCode?: unknown }).exitCode;
          rec.exitCode = typeof exitCode === 'number' ? exitCode : EXIT.aborted;
          code = worstExit(code, rec.exitCode);
          await req.record(journal);
          checkStop(req);
          throw new Stop('aborted', `step ${step.label} (${step.experiment}) could not start: ${rec.error.split('\n')[0]}`);
        }
        Object.assign(rec, {
          outcome: 'ran',
          endedAt: clock.now(),
          runDir: run.runDir,
          journal: run.journalFile,
          status: run.journal.status,
          exitCode: run.code,
          verdicts: run.journal.verdicts.map((v) => ({ objective: v.objective, status: v.status ?? (v.met ? 'met' : 'missed') })),
        } satisfies Partial<ExperimentRecord>);
        code = worstExit(code, run.code);
        await req.record(journal);
        checkStop(req);
        if (run.journal.unclean) throw new Stop('aborted', `step ${step.label} (${step.experiment}) could not revert everything; no later step starts on top of what it left`);
      } else if (step.kind === 'gate') {
        const rec = journal.steps[i] as Extract<ScenarioStepRecord, { kind: 'gate' }>;
        rec.startedAt = clock.now();
        await req.record(journal);
        const by = await whileWatchingHalt(req, (signal) => req.gate(step.label, step.prompt, signal), () => {
          rec.outcome = 'stopped';
          rec.endedAt = clock.now();
        });
        Object.assign(rec, { outcome: 'advanced', endedAt: clock.now(), by });
        await req.record(journal);
      } else {
        const rec = journal.steps[i] as Extract<ScenarioStepRecord, { kind: 'wait' }>;
        rec.startedAt = clock.now();
        await req.record(journal);
        const result = await whileWatchingHalt(req, (signal) => untilRecovered(step, clock, signal, req.header.runId, req.log), () => {
          rec.outcome = 'stopped';
          rec.endedAt = clock.now();
        });
        Object.assign(rec, { endedAt: clock.now(), samples: result.samples, failed: result.failed, outcome: result.recoveredAfterMs === null ? 'timed-out' : 'recovered' });
        if (result.recoveredAfterMs !== null) rec.recoveredAfterMs = result.recoveredAfterMs;
        await req.record(journal);
        if (result.recoveredAfterMs === null) throw new Stop('aborted', `step ${step.label}: ${step.probe.name} had not recovered after ${formatDuration(step.atMost)}; later steps would start on a service that has not recovered`);
      }
    }
    journal.status = 'completed';
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    journal.status = e.status;
    journal.reason = e.message;
    code = worstExit(code, e.status === 'interrupted' ? EXIT.interrupted : EXIT.aborted);
  } finally {
    journal.endedAt = clock.now();
    if (journal.status === 'running') journal.status = 'aborted';
    journal.exitCode = code;
    await req.record(journal);
  }
  return journal;
}

function notStarted<E>(step: ScenarioStepInput<E>): ScenarioStepRecord {
  if (step.kind === 'experiment') return { label: step.label, kind: 'experiment', experiment: step.experiment, file: step.file, ...(step.picked ? { picked: step.picked } : {}), outcome: 'not-started' };
  if (step.kind === 'gate') return { label: step.label, kind: 'gate', ...(step.prompt !== undefined ? { prompt: step.prompt } : {}), outcome: 'not-started' };
  return { label: step.label, kind: 'wait', probe: step.probe.name, of: step.of, atMost: step.atMost, outcome: 'not-started' };
}

function checkStop(req: Pick<ScenarioRunRequest<unknown>, 'interrupt' | 'halted'>): void {
  const halt = req.halted();
  if (halt) throw new Stop('interrupted', `halted: ${halt}`);
  if (req.interrupt.aborted) throw new Stop('interrupted', `stopped by ${abortReason(req.interrupt).message}`);
}

/**
 * Runs `work` until it settles, an interrupt, or the halt lock appears (`faultline halt` signals
 * only runs with faults in flight; a gate or a wait has none, so the lock is looked at here).
 */
async function whileWatchingHalt<T>(req: ScenarioRunRequest<unknown>, work: (signal: AbortSignal) => Promise<T>, onStop: () => void): Promise<T> {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort(abortReason(req.interrupt));
  req.interrupt.addEventListener('abort', onInterrupt, { once: true });
  if (req.interrupt.aborted) onInterrupt();
  const watch = (async () => {
    while (!stop.signal.aborted) {
      if (req.halted()) stop.abort(new Error('halt'));
      await req.clock.sleep(req.haltPollMs ?? 200, stop.signal).catch(() => undefined);
    }
  })();
  try {
    return await work(stop.signal);
  } catch (e) {
    onStop();
    checkStop(req);
    throw new Stop('interrupted', e instanceof Error ? e.message : String(e));
  } finally {
    if (!stop.signal.aborted) stop.abort(new Error('done'));
    req.interrupt.removeEventListener('abort', onInterrupt);
    await watch;
  }
}

/** Polls the probe at its cadence until `consecutive` passes in a row, or `atMost` has passed. */
async function untilRecovered(step: Extract<ScenarioStepInput<unknown>, { kind: 'wait' }>, clock: Clock, signal: AbortSignal, runId: string, log: Logger): Promise<{ recoveredAfterMs: number | null; samples: number; failed: number }> {
  const start = clock.now();
  const deadline = start + step.atMost;
  const ctx = { clock, signal, log, runId, rng: Math.random };
  let samples = 0;
  let failed = 0;
  let streakStart: number | null = null;
  let streak = 0;
  while (clock.now() < deadline) {
    if (signal.aborted) throw abortReason(signal);
    const s = await step.probe.sample(ctx);
    samples++;
    if (s.ok) {
      streakStart ??= s.t;
      if (++streak >= step.consecutive) return { recoveredAfterMs: Math.max(0, streakStart - start), samples, failed };
    } else {
      failed++;
      streak = 0;
      streakStart = null;
    }
    await clock.sleep(Math.max(0, Math.min(step.probe.every - (clock.now() - s.t), deadline - clock.now())), signal);
  }
  return { recoveredAfterMs: null, samples, failed };
}
