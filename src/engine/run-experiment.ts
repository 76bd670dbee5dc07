// The run lifecycle: setup -> select and freeze victims -> steady state -> inject/hold/revert ->
// observe recovery -> verdicts. Reverts run on every path: success, failure, error, abort
// condition, interrupt. Invalid input and an unusable environment are rethrown after clean-up;
// everything else ends up in the journal.
import path from 'node:path';
import type { Clock, Logger, RunContext } from '../domain/context.js';
import { EnvironmentError, FaultlineError } from '../domain/errors.js';
import { alertDetection, detectionMatchers, detectionName, type AlertSource } from '../domain/alerts.js';
import { countName, countObjectives } from '../domain/count-objective.js';
import type { Experiment, ObserverSpec } from '../domain/experiment.js';
import { logbookOf } from '../domain/logbook.js';
import type { WorkloadInterval } from '../domain/live-workload.js';
import type { Journal, JsonValue, RunStatus } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import { JournalRecorder, type JournalListener } from '../journal/recorder.js';
import type { RunLedger } from '../ledger/run-ledger.js';
import { createProbe } from '../probes/create-probe.js';
import type { RunCommand } from '../domain/command.js';
import { freshSeed, newRunId, randomStream } from '../runtime/random.js';
import { cutShort, detectionProgress, evaluate, failingFor, firingIn, firstInjection, objectiveIrrecoverable, objectiveProbe, recoveryPoint, referenceInstant } from '../slo/index.js';
import { AlertWatch } from './alert-watch.js';
import { distinctVictims, selectTargets } from '../targets/select.js';
import type { Workloads } from '../workloads/workloads.js';
import { FaultPhase, InjectionFailed } from './fault-phase.js';
import { partitionWithoutEffect } from './partition-effect.js';
import { countProbe } from './count-probe.js';
import { Sampler } from './sampler.js';
import { whereChanges } from './where-changes.js';
import { steadyStateProblem } from './steady-state.js';

export interface RunRequest {
  experiment: Experiment;
  /** Absolute path of the experiment file, for the journal. */
  file?: string;
  /** Directory relative paths resolve against (exec probes). */
  baseDir: string;
  driver: Driver;
  clock: Clock;
  log: Logger;
  runCommand: RunCommand;
  faultlineVersion: string;
  /** Overrides the experiment's seed. */
  seed?: string | number;
  runId?: string;
  /** Fires on SIGINT/SIGTERM: everything is reverted and the run ends as `interrupted`. */
  interrupt?: AbortSignal;
  listen?: JournalListener;
  /** Receives the journal being written as soon as it exists, for entries made outside the engine (the console's logbook). */
  onRecorder?: (recorder: JournalRecorder) => void;
  /** The run has a logbook where people mark Detected (the live console): human detection objectives wait for a mark and are judged from it. */
  logbook?: boolean;
  /** The experiment as it may be written to the journal (secrets redacted). */
  redacted?: JsonValue;
  /** Victims acted on at once when a fault hits many. Default 16. */
  concurrency?: number;
  /** Durable record of every side effect, for rollback after a crash. */
  ledger?: RunLedger;
  /** Where workloads write history.jsonl: the run directory, beside the journal. Default: a temporary directory. */
  historyDir?: string;
  /** Masks secrets in what workloads record (error messages can quote a store's URL). */
  redact?: (text: string) => string;
  /** The client of each observer (spec.observers). Default: the Alertmanager and Prometheus HTTP clients. */
  alertSource?: (spec: ObserverSpec, clock: Clock) => AlertSource;
}

/** Ends the run early with a status; carried as the abort reason. */
class RunEnd extends Error {
  constructor(readonly status: RunStatus, message: string) {
    super(message);
  }
}

const DEFAULT_RECOVERY_WINDOW = 10_000;
const WATCH_INTERVAL = 25;

export async function runExperiment(req: RunRequest): Promise<Journal> {
  const { experiment, driver, clock } = req;
  const { spec } = experiment;
  const seed = String(req.seed ?? spec.seed ?? freshSeed());
  const runId = req.runId ?? newRunId(clock.now());
  const rec = new JournalRecorder(
    {
      runId,
      faultlineVersion: req.faultlineVersion,
      experiment: {
        name: experiment.metadata.name,
        ...(req.file ? { file: req.file } : {}),
        ...(experiment.metadata.description ? { description: experiment.metadata.description } : {}),
        spec: req.redacted ?? (JSON.parse(JSON.stringify(spec)) as JsonValue),
      },
      seed,
      driver: spec.driver,
      startedAt: clock.now(),
    },
    () => clock.now(),
  );
  if (req.listen) rec.listen(req.listen);
  req.onRecorder?.(rec);
  const j = rec.journal;
  if (req.logbook) j.logbook = true;

  const stop = new AbortController();
  const end = (status: RunStatus, reason: string): boolean => {
    if (stop.signal.aborted) return false;
    j.status = status;
    j.reason = reason;
    stop.abort(new RunEnd(status, reason));
    return true;
  };
  const onInterrupt = () => {
    const why = String(req.interrupt?.reason ?? 'signal');
    rec.record('interrupt', { signal: why });
    end('interrupted', `interrupted by ${why}; everything was reverted`);
  };
  if (req.interrupt?.aborted) onInterrupt();
  req.interrupt?.addEventListener('abort', onInterrupt, { once: true });

  const ctx: RunContext = { clock, signal: stop.signal, log: req.log, runId, rng: randomStream(seed, 'faults') };
  // Reverts and clean-up must run to completion even after an interrupt.
  const cleanupCtx: RunContext = { ...ctx, signal: new AbortController().signal };

  let phase: FaultPhase | undefined;
  let sampler: Sampler | undefined;
  let workloads: Workloads | undefined;
  let alerts: AlertWatch | undefined;
  let userError: unknown;
  let window = { start: 0, end: 0 };
  let changed: string[] = [];

  try {
    rec.record('phase', { phase: 'setup' });
    driver.subscribe?.((e) => {
      req.ledger?.driverEvent(e);
      rec.record('service', e);
    });
    driver.configure?.(experiment);
    await driver.open(experiment, ctx);
    stop.signal.throwIfAborted();

    rec.record('phase', { phase: 'plan' });
    const selection = await selectTargets(experiment, driver, ctx, seed);
    rec.setTargets(distinctVictims(selection.groups));
    phase = new FaultPhase(experiment, driver, selection.groups, rec, req.concurrency, req.ledger);

    const probes = [
      ...Object.entries(spec.probes).map(([name, p]) => createProbe(name, p, { driver, runCommand: req.runCommand, targets: selection.groups, cwd: req.baseDir })),
      ...countObjectives(spec.objectives).map((o) => countProbe(o, spec.targets[o.target]!, driver)),
    ];
    const watchAbort = abortWatcher(experiment, rec, () => phase!, () => window, end);
    let watching = false;
    sampler = new Sampler(probes, ctx, (s) => {
      rec.sample(s);
      if (watching) watchAbort(s.probe, clock.now());
    });

    rec.record('phase', { phase: 'steady-state' });
    const workloadOptions = {
      clock,
      runId,
      runCommand: req.runCommand,
      cwd: req.baseDir,
      ...(req.historyDir ? { dir: req.historyDir } : {}),
      ...(req.redact ? { redact: req.redact } : {}),
      // Live views (the console's curves) get each workload's last second; the journal has the history.
      ...(req.listen ? { onInterval: (interval: WorkloadInterval) => rec.announce({ t: interval.end, type: 'workload', interval }) } : {}),
    };
    // The workload clients (undici, ioredis, pg) and the history checkers are loaded only by runs that
    // declare workloads: the others would pay for them before their first fault.
    if (Object.keys(spec.workloads).length > 0) workloads = await (await import('../workloads/workloads.js')).Workloads.connect(spec.workloads, workloadOptions, stop.signal);
    alerts = await watchObservers(experiment, ctx, rec, req.alertSource);
    const steadySince = clock.now();
    // Workloads start with steady state, so the baseline phase has operations to compare with.
    workloads?.start();
    sampler.start();
    await clock.sleep(spec.observe.steadyState, stop.signal);
    await waitForFirstSamples(spec.steadyState, rec, clock, stop.signal, Math.max(0, ...probes.map((p) => p.timeout)));
    const problem = steadyStateProblem(spec.steadyState, (p) => rec.samplesOf(p), steadySince);
    if (problem) {
      end('aborted', `steady state was not met, so no fault was injected: ${problem}`);
      stop.signal.throwIfAborted();
    }
    const unready = alerts && (await alertsBeforeFaults(experiment, alerts));
    if (unready) {
      end('aborted', unready);
      stop.signal.throwIfAborted();
    }

    rec.record('phase', { phase: 'inject' });
    const faultStart = clock.now();
    window = { start: faultStart, end: faultStart + phase.plannedLength + recoveryWindow(experiment) };
    watching = true;
    await phase.run(ctx, cleanupCtx);

    rec.record('phase', { phase: 'recover' });
    await watchRecovery(experiment, rec, clock, stop.signal);
    if (j.faults.some((f) => f.kind === 'partition' && f.injectedAt !== null)) {
      changed = await whereChanges(experiment, selection.groups, driver, ctx).catch((e: unknown) => [`"where" could not be checked again: ${e instanceof Error ? e.message : String(e)}`]);
      for (const message of changed) rec.record('log', { level: 'info', message });
    }
  } catch (e) {
    if (e instanceof InjectionFailed) end('failed', e.message);
    else if (e instanceof FaultlineError) {
      userError = e;
      end('aborted', e.message);
    }
    else if (!(stop.signal.aborted && (e === stop.signal.reason || isAbortError(e)))) {
      end('failed', `unexpected error: ${e instanceof Error ? e.message : String(e)}`);
      req.log.error(e instanceof Error && e.stack ? e.stack : String(e));
    }
  } finally {
    req.interrupt?.removeEventListener('abort', onInterrupt);
    if (phase) {
      rec.record('phase', { phase: 'revert' });
      await phase.revertAll(cleanupCtx);
    }
    await sampler?.stop();
    await alerts?.stop();
    if (workloads) await finishWorkloads(workloads, rec, req, !userError, onInterrupt);
    rec.record('phase', { phase: 'teardown' });
    await driver.close(cleanupCtx).catch((e: unknown) => req.log.warn(`driver clean-up: ${e instanceof Error ? e.message : String(e)}`));
    req.ledger?.end(j.status, j.unclean);
  }
  if (userError) throw userError;

  if (workloads) {
    await checkHistory(workloads, experiment, rec).catch((e: unknown) => {
      const message = `workload history could not be checked: ${e instanceof Error ? e.message : String(e)}`;
      req.log.warn(message);
      rec.record('log', { level: 'warn', message });
    });
  }
  j.endedAt = clock.now();
  // Every declared objective gets a verdict, even when the run was cut short: what was measured
  // is kept (partial), and what cannot be judged says why (unknown).
  const injected = j.faults.some((f) => f.injectedAt !== null);
  window.end = j.endedAt;
  if (!injected) window.start = j.endedAt;
  const verdicts = evaluate({ objectives: spec.objectives, samples: j.samples, faults: j.faults, window, ...(j.workloads ? { workloads: j.workloads } : {}), ...(j.observers ? { observers: j.observers } : {}), ...(j.logbook ? { logbook: { detected: logbookOf(j).filter((e) => e.type === 'detected') } } : {}) });
  j.verdicts = j.status === 'completed' ? verdicts : cutShort(verdicts, j.status, j.reason, injected);
  j.deviated = j.verdicts.some((v) => !v.met);
  j.samples.sort((a, b) => a.t - b.t);
  const unnoticed = partitionWithoutEffect(j.faults, j.samples, req.driver.partitionCaveat, changed.length > 0);
  if (unnoticed) {
    req.log.warn(unnoticed);
    rec.record('log', { level: 'warn', message: unnoticed });
    j.notices = [...(j.notices ?? []), unnoticed];
  }
  rec.record('phase', { phase: 'done' });
  return j;
}

/**
 * Stops the workloads after every fault was reverted and, when a fault was injected and the run
 * was not interrupted, reads back their writes before the driver stops the services holding them.
 * An interrupt during the read-back ends it early and the run as interrupted.
 */
async function finishWorkloads(workloads: Workloads, rec: JournalRecorder, req: RunRequest, judged: boolean, onInterrupt: () => void): Promise<void> {
  const j = rec.journal;
  try {
    await workloads.stop();
    if (judged && j.status !== 'interrupted' && j.faults.some((f) => f.injectedAt !== null)) {
      rec.record('log', { level: 'info', message: 'final read-back of the workloads\' acknowledged and unknown writes' });
      await workloads.finalRead(req.interrupt ?? new AbortController().signal);
      if (req.interrupt?.aborted) onInterrupt();
    }
  } catch (e) {
    const message = `workloads: ${e instanceof Error ? e.message : String(e)}`;
    req.log.warn(message);
    rec.record('log', { level: 'warn', message });
  } finally {
    await workloads.close().catch((e: unknown) => req.log.warn(`workload clean-up: ${e instanceof Error ? e.message : String(e)}`));
    j.workloadRun = workloads.record(j.faults);
  }
}

/**
 * Judges the recorded history (record first, judge later): one streaming pass over history.jsonl
 * and the final reads, into the summaries the workload objectives and the reports use.
 */
async function checkHistory(workloads: Workloads, experiment: Experiment, rec: JournalRecorder): Promise<void> {
  const run = rec.journal.workloadRun;
  if (!run?.phases) return;
  const declared = Object.entries(experiment.spec.workloads).map(([name, w]) => ({ name, readBack: w.read !== undefined }));
  const { HistoryChecker } = await import('../slo/checkers/index.js');
  const checker = new HistoryChecker(declared, run.phases, { history: path.basename(run.history) });
  for await (const op of workloads.operations()) checker.addOperation(op);
  for (const r of workloads.finalReads) checker.addFinalRead(r);
  rec.journal.workloads = checker.summaries();
}

function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e instanceof RunEnd);
}

function recoveryWindow(experiment: Experiment): number {
  const { spec } = experiment;
  if (spec.observe.recoveryWindow !== undefined) return spec.observe.recoveryWindow;
  const withins = spec.objectives.flatMap((o) => ('recovery' in o ? [o.recovery.within] : []));
  return withins.length ? Math.max(...withins) : DEFAULT_RECOVERY_WINDOW;
}

async function waitForFirstSamples(probes: readonly string[], rec: JournalRecorder, clock: Clock, signal: AbortSignal, timeout: number): Promise<void> {
  const deadline = clock.now() + timeout + 100;
  while (probes.some((p) => rec.samplesOf(p).length === 0) && clock.now() < deadline) await clock.sleep(WATCH_INTERVAL, signal);
}

/**
 * After the last revert, keep observing until every recovery objective's probe and every
 * steady-state probe has recovered and every count objective holds again, or the recovery window
 * has passed: a service that answers while two nodes both think they lead has not settled.
 */
async function watchRecovery(experiment: Experiment, rec: JournalRecorder, clock: Clock, signal: AbortSignal): Promise<void> {
  const { spec } = experiment;
  const last = referenceInstant(rec.journal.faults);
  const from = last.at ?? clock.now();
  const deadline = from + recoveryWindow(experiment);
  const recoveries = spec.objectives.flatMap((o) => ('recovery' in o ? [o.recovery] : []));
  const n = Math.max(3, ...recoveries.map((r) => r.consecutive));
  const counts = countObjectives(spec.objectives).map(countName);
  const pending = () => [
    ...spec.steadyState.filter((p) => recoveryPoint(rec.samplesOf(p), from, n) === null),
    ...counts.filter((c) => recoveryPoint(rec.samplesOf(c), from, n) === null),
    ...recoveries.filter((r) => {
      const ref = referenceInstant(rec.journal.faults, r.after);
      return ref.at !== null && [r.probe, ...counts].some((p) => recoveryPoint(rec.samplesOf(p), ref.at, r.consecutive) === null);
    }),
  ];
  const done = () => spec.observe.stopWhenRecovered && pending().length === 0;
  while ((clock.now() < deadline && !done()) || detectionUndecided(experiment, rec.journal, clock.now())) await clock.sleep(WATCH_INTERVAL, signal);
}

/** Time an observer read may take beyond its interval before a detection is decided without it. */
const OBSERVER_READ_SLACK = 3000;

/**
 * Whether a detection objective still waits for its observer: the alert has not fired and its
 * `within` (plus one read) has not passed, or it fired and has not resolved within `resolvedWithin`.
 * A human detection waits, while the run has a logbook, for a Detected mark or its `within`.
 */
function detectionUndecided(experiment: Experiment, j: Journal, now: number): boolean {
  const injected = firstInjection(j.faults);
  if (injected === null) return false;
  const last = referenceInstant(j.faults).at;
  return experiment.spec.objectives.some((o) => {
    if (!('detection' in o)) return false;
    const d = alertDetection(o.detection);
    if (!d) return j.logbook === true && now < injected + o.detection.within && !j.events.some((e) => e.type === 'detected' && e.t >= injected);
    const log = j.observers?.find((l) => l.name === d.observer);
    if (!log) return false;
    const slack = (experiment.spec.observers[d.observer]?.every ?? 1000) + OBSERVER_READ_SLACK;
    const p = detectionProgress(log, d, injected);
    if (p.detectedAt === null) return (p.lastAnswer ?? -Infinity) < injected + d.within && now < injected + d.within + slack;
    if (d.resolvedWithin === undefined || p.resolvedAt !== null || last === null) return false;
    return (p.lastAnswer ?? -Infinity) < last + d.resolvedWithin && now < last + d.resolvedWithin + slack;
  });
}

/**
 * Starts reading every observer; each must answer once first, or the run cannot judge what it
 * declared: an EnvironmentError naming the address (exit 3), before any fault.
 */
async function watchObservers(experiment: Experiment, ctx: RunContext, rec: JournalRecorder, given?: (spec: ObserverSpec, clock: Clock) => AlertSource): Promise<AlertWatch | undefined> {
  const { observers } = experiment.spec;
  if (Object.keys(observers).length === 0) return undefined;
  // The observer clients (undici) are loaded only by runs that declare observers, as workloads are.
  const source = given ?? (await import('../observers/create-alert-source.js')).createAlertSource;
  const watch = new AlertWatch(observers, (spec) => source(spec, ctx.clock), ctx, (message) => rec.record('log', { level: 'info', message }));
  rec.journal.observers = watch.logs;
  const failed = (await watch.readAll()).filter((r) => !r.poll.ok);
  if (failed.length) {
    throw new EnvironmentError(failed.map((r) => `observer "${r.log.name}" at ${r.log.url} did not answer before any fault: ${r.poll.error ?? 'no answer'}`).join('\n'));
  }
  watch.start();
  return watch;
}

/**
 * Just before the first fault: every observer answers, and no detection objective's alert is
 * firing already (it would detect nothing). The reason the run cannot go on, or undefined.
 */
async function alertsBeforeFaults(experiment: Experiment, watch: AlertWatch): Promise<string | undefined> {
  const reads = await watch.readAll();
  const problems: string[] = [];
  for (const { log, poll } of reads) if (!poll.ok) problems.push(`observer "${log.name}" at ${log.url} did not answer before the first fault: ${poll.error ?? 'no answer'}`);
  for (const o of experiment.spec.objectives) {
    if (!('detection' in o) || !alertDetection(o.detection)) continue;
    const read = reads.find((r) => r.log.name === o.detection.observer);
    if (read?.poll.ok && firingIn(read.log, read.poll, detectionMatchers(o.detection))) {
      problems.push(`alert ${detectionName(o.detection)} is already firing at observer "${read.log.name}" (${read.log.url}) before any fault, so it would detect nothing`);
    }
  }
  return problems.length ? `${problems.join('; ')}; no fault was injected` : undefined;
}

/** Checks the abort conditions after each sample; ends the run as `aborted` when one fires. */
function abortWatcher(
  experiment: Experiment,
  rec: JournalRecorder,
  phase: () => FaultPhase,
  window: () => { start: number; end: number },
  end: (status: RunStatus, reason: string) => boolean,
): (probe: string, now: number) => void {
  const { spec } = experiment;
  return (probe, now) => {
    for (const a of spec.abort) {
      if ('probe' in a) {
        if (a.probe !== probe) continue;
        const failing = failingFor(rec.samplesOf(probe), now);
        if (failing >= a.failingFor) return fire(`abort condition: probe "${probe}" has failed for ${Math.round(failing)}ms (limit ${a.failingFor}ms)`);
      } else {
        for (const o of spec.objectives) {
          const p = objectiveProbe(o);
          if (p !== probe) continue;
          const every = spec.probes[p]?.every ?? 1000;
          if (objectiveIrrecoverable(o, rec.samplesOf(p), phase().records, window(), now, every)) {
            return fire(`abort condition: objective on probe "${p}" can no longer be met (${Object.keys(o)[0]})`);
          }
        }
      }
    }
  };
  function fire(reason: string): void {
    if (end('aborted', reason)) rec.record('abort', { reason });
  }
}
