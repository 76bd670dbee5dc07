// `faultline run`: load, confirm, run with a live view, write the records, print the verdicts,
// and turn the outcome into the exit code.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Logger } from '../domain/context.js';
import { FaultlineError, InvalidInputError } from '../domain/errors.js';
import type { Journal } from '../domain/model.js';
import { runHostCommand } from '../drivers/host-command.js';
import { EXIT, exitCodeOf } from '../engine/outcome.js';
import { runExperiment } from '../engine/run-experiment.js';
import type { JournalListener, JournalRecorder } from '../journal/recorder.js';
import { renderVerdictTable, type FailedStart } from '../report/index.js';
import { notJudged } from '../slo/index.js';
import { systemClock } from '../runtime/system-clock.js';
import { loadExperiment, type LoadedExperiment } from '../spec/load-experiment.js';
import { createDriverFor, driverSettings } from './create-driver.js';
import { FileRunLedger } from '../ledger/run-ledger.js';
import { defaultStateDir, ledgerPath } from '../ledger/state-dir.js';
import { preflight } from './preflight.js';
import { checkWritableDir, checkWritableFile } from './output-paths.js';
import { reapExpiredBeforeRun } from './reap-expired.js';
import { startWatchdog } from './watchdog.js';
import { liveView } from './live-view.js';
import { livePlan } from './live-status.js';
import { interruptOnSignals } from './signals.js';
import { openRunConsole, type ConsoleForRuns } from './run-console.js';
import type { Terminal } from './terminal.js';
import { VERSION } from './version.js';
import { createRedactor, redactValue } from '../domain/redact.js';
import { printable } from '../domain/printable.js';
import type { JsonValue } from '../domain/model.js';
import { redactingTerminal } from './terminal.js';
import { defaultRunDir, writeFailedStartOutputs, writeOutputs } from './write-outputs.js';
import { newRunId } from '../runtime/random.js';
import { createRunTelemetry } from '../telemetry/run-telemetry.js';
import { telemetrySettings } from './telemetry-options.js';

export interface RunOptions {
  seed?: string;
  out?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  json?: boolean;
  yes?: boolean;
  dockerHost?: string;
  context?: string;
  kubeconfig?: string;
  concurrency?: number;
  quiet?: boolean;
  stateDir?: string;
  annotate?: { grafana: string };
  pushgateway?: string;
  /** Serve the live web console (run-console.ts). */
  console?: boolean;
  /** A console already serving (a game day's, across its steps): this run shows on it instead of a console of its own. */
  sharedConsole?: ConsoleForRuns;
  /** Where the console listens (host:port); default 127.0.0.1 and a free port. */
  listen?: string;
  /** Open the console in a browser. */
  open?: boolean;
}

export async function runCommand(file: string, opts: RunOptions, term: Terminal): Promise<{ code: number; journal: Journal }> {
  let loaded: LoadedExperiment | undefined;
  try {
    loaded = await loadExperiment(file);
    if (loaded.experiment.spec.safety.production) await confirmProduction(loaded.experiment.metadata.name, opts, term);
    const interrupts = interruptOnSignals(term);
    try {
      return await runLoaded(loaded, opts, term, interrupts.signal);
    } finally {
      interrupts.dispose();
    }
  } catch (e) {
    // A CI job reads --junit and --markdown whatever happened: a run that never got a journal
    // still writes them, saying why (the exit code is unchanged).
    if (opts.junit || opts.markdown) await writeFailedStart(failedStart(e, file, loaded), opts, term);
    throw e;
  }
}

function failedStart(e: unknown, file: string, loaded: LoadedExperiment | undefined): FailedStart {
  const message = e instanceof Error ? e.message : String(e);
  const exitCode = e instanceof FaultlineError ? e.exitCode : 70;
  const kind = exitCode === EXIT.invalidInput ? 'invalid-input' : e instanceof FaultlineError ? 'environment' : 'internal-error';
  const objectives = loaded?.experiment.spec.objectives ?? [];
  return {
    name: loaded?.experiment.metadata.name ?? path.basename(file),
    file: loaded?.file ?? path.resolve(file),
    kind,
    exitCode,
    message,
    verdicts: notJudged(objectives, `the run did not start: ${message.split('\n')[0]}`),
    at: new Date(systemClock.now()).toISOString(),
  };
}

async function writeFailedStart(f: FailedStart, opts: RunOptions, term: Terminal): Promise<void> {
  try {
    const files = await writeFailedStartOutputs(f, { ...(opts.junit ? { junit: path.resolve(opts.junit) } : {}), ...(opts.markdown ? { markdown: path.resolve(opts.markdown) } : {}) });
    for (const file of files) term.err(`wrote:   ${file}`);
  } catch (err) {
    term.err(`warning: could not write the report of the failed run: ${printable(err instanceof Error ? err.message : String(err))}`);
  }
}

/**
 * One run of an already loaded (and confirmed) experiment: driver, lifecycle, records, verdicts.
 * Shared by `faultline run` and the scheduler, so a scheduled run is exactly a normal run.
 */
/** What one run left: its exit code, its (redacted) journal, and the directory its records are in. */
export interface RunResult {
  code: number;
  journal: Journal;
  runDir: string;
}

export async function runLoaded(loaded: LoadedExperiment, opts: RunOptions, rawTerm: Terminal, interrupt: AbortSignal, listen?: JournalListener): Promise<RunResult> {
  const redact = createRedactor(loaded.secrets);
  try {
    return await runRedacted(loaded, opts, redactingTerminal(rawTerm, redact), redact, interrupt, listen);
  } catch (e) {
    // An error message can quote a service's output or a URL: it is shown redacted too.
    if (e instanceof Error) e.message = redact(e.message);
    throw e;
  }
}

async function runRedacted(loaded: LoadedExperiment, opts: RunOptions, term: Terminal, redact: (text: string) => string, interrupt: AbortSignal, listen?: JournalListener): Promise<RunResult> {
  const { experiment } = loaded;
  const stateDir = path.resolve(opts.stateDir ?? defaultStateDir());
  preflight(stateDir);
  checkWritableDir('--out', opts.out ?? 'faultline-runs');
  for (const [option, file] of [['--junit', opts.junit], ['--markdown', opts.markdown], ['--html', opts.html]] as const) {
    if (file) checkWritableFile(option, file);
  }
  const publishTo = telemetrySettings(opts, process.env);
  const clock = systemClock;
  const runId = newRunId(clock.now());
  const outRoot = path.resolve(opts.out ?? 'faultline-runs');
  const runDir = defaultRunDir(outRoot, { startedAt: clock.now(), experiment: { name: experiment.metadata.name, spec: null } });
  const log: Logger = {
    info: (m) => term.err(m),
    warn: (m) => term.err(`warning: ${m}`),
    error: (m) => term.err(`error: ${m}`),
    ...(process.env.FAULTLINE_DEBUG === '1' ? { debug: (m: string) => term.err(`debug: ${m}`) } : {}),
  };
  // Before anything is touched: a console that cannot listen is an unusable environment. It never
  // keeps the process alive, so an error on the way to the run needs no clean-up of it.
  const live = opts.sharedConsole
    ? opts.sharedConsole.forRun({ experiment, runId, startedAt: clock.now(), runDir, redact })
    : opts.console
      ? await openRunConsole({ experiment, runId, startedAt: clock.now(), stateDir, runDir, redact, ...(opts.listen !== undefined ? { listen: opts.listen } : {}), ...(opts.open ? { open: true } : {}) }, term)
      : undefined;

  const driverOpts = {
    baseDir: loaded.dir,
    clock,
    logDir: await ensureDir(path.join(runDir, 'services')),
    redact,
    where: loaded.where,
    ...(opts.dockerHost ? { dockerHost: opts.dockerHost } : {}),
    ...(opts.context ? { kubeContext: opts.context } : {}),
    ...(opts.kubeconfig ? { kubeconfig: path.resolve(opts.kubeconfig) } : {}),
  };
  const driver = await createDriverFor(experiment, driverOpts);
  await reapExpiredBeforeRun(driver, experiment, log);
  // Written (and fsynced) before anything is touched; the watchdog outlives us if we are killed.
  const ledger = new FileRunLedger(
    ledgerPath(stateDir, runId),
    { runId, startedAt: clock.now(), experiment: experiment.metadata.name, file: loaded.file, driver: experiment.spec.driver, settings: driverSettings(experiment, driverOpts) },
    () => clock.now(),
    redact,
  );
  if (experiment.spec.driver === 'process') startWatchdog(ledger.file);
  const startedAt = clock.now();
  // Even a quiet run names its victims before the first fault: nobody should learn it afterwards.
  const view = opts.quiet ? frozenTargetsOnly(term) : liveView(term, startedAt, () => clock.now(), livePlan(experiment));
  term.err(`faultline ${VERSION}: running ${experiment.metadata.name} (${experiment.spec.driver} driver), run ${runId}`);

  const telemetry = await createRunTelemetry(publishTo, { runId, experiment: experiment.metadata.name, driver: experiment.spec.driver, version: VERSION }, redact);
  let raw: Journal;
  try {
    raw = await runExperiment({
      experiment,
      file: loaded.file,
      baseDir: loaded.dir,
      driver,
      clock,
      log,
      runCommand: runHostCommand,
      faultlineVersion: VERSION,
      runId,
      ledger,
      interrupt,
      redacted: JSON.parse(JSON.stringify(loaded.asWritten.spec)) as JsonValue,
      historyDir: runDir,
      redact,
      listen: allListeners(view?.listener, listen, telemetry.listener, live?.listener),
      ...(live ? { onRecorder: (rec: JournalRecorder) => live.onRecorder(rec), logbook: true } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    });
  } catch (e) {
    await live?.close();
    throw e;
  } finally {
    view?.stop();
  }
  // Everything written or printed from here on is the redacted journal.
  const journal = redactValue(raw, redact);
  // Published before the journal is written, so that what failed to publish is in it.
  for (const warning of await telemetry.publish(journal)) {
    const message = redact(warning);
    journal.events.push({ t: clock.now(), type: 'log', level: 'warn', message });
    log.warn(message);
  }
  const files = await writeOutputs(journal, {
    runDir,
    ...(opts.junit ? { junit: path.resolve(opts.junit) } : {}),
    ...(opts.markdown ? { markdown: path.resolve(opts.markdown) } : {}),
    ...(opts.html ? { html: path.resolve(opts.html) } : {}),
  }).finally(() => live?.close(journal));
  if (opts.json) term.out(JSON.stringify(journal, null, 2));
  term.err(renderVerdictTable(journal, { color: term.color }));
  term.err(`journal: ${files[0]}\nreport:  ${files[1]}`);
  for (const f of files.slice(3)) term.err(`wrote:   ${f}`);
  return { code: exitCodeOf(journal), journal, runDir };
}

function frozenTargetsOnly(term: Terminal): { listener: JournalListener; stop(): void } {
  return {
    listener: (e) => {
      if (e.type === 'targets') term.err(printable(`targets (frozen): ${e.targets.map((t) => `${t.group}/${t.name}`).join(', ')}`));
    },
    stop() {},
  };
}

function allListeners(...listeners: (JournalListener | undefined)[]): JournalListener {
  return (e) => {
    for (const l of listeners) l?.(e);
  };
}

async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

async function confirmProduction(name: string, opts: RunOptions, term: Terminal): Promise<void> {
  if (opts.yes) return;
  if (!process.stdin.isTTY) {
    throw new InvalidInputError(`experiment "${name}" is marked production (safety.production: true); confirm with --yes when running non-interactively`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Experiment "${name}" targets production. Type the experiment name to proceed: `);
    if (answer.trim() !== name) throw new InvalidInputError('not confirmed; nothing was touched');
  } finally {
    rl.close();
  }
  term.err('confirmed');
}
