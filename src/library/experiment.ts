// The library's front door, as easy as testcontainers: `experiment(file or object).run()` runs
// exactly what `faultline run` runs (the same driver choice, ledger, halt lock, watchdog and reverts
// on every path, through the CLI's own `runLoaded`), with defaults a test wants: a quiet terminal
// whose lines are kept on the result, reports under a temporary folder, the installed version.
// Everything is overridable. A test runner's abort reaches the run through an AbortSignal, and
// `start()` returns a handle that `await using` disposes of by stopping the run and waiting for
// every revert.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { InvalidInputError } from '../domain/errors.js';
import type { JournalListener } from '../journal/recorder.js';
import { loadExperiment, parseExperiment, type LoadedExperiment } from '../spec/load-experiment.js';
import { runLoaded, type RunOptions } from '../cli/run-command.js';
import { libraryTerminal } from './library-terminal.js';
import { resultOf, type ExperimentResult } from './result.js';

export interface ExperimentOptions {
  /** Where each run's folder (journal, report, service logs) goes. Default: a new temporary folder. */
  out?: string;
  /** Overrides the experiment's seed. */
  seed?: string | number;
  /** The run ledger and halt lock; default as the CLI's (`FAULTLINE_STATE_DIR`, then XDG state). */
  stateDir?: string;
  /** Also write JUnit, Markdown or HTML to these paths. */
  junit?: string;
  markdown?: string;
  html?: string;
  dockerHost?: string;
  kubeContext?: string;
  kubeconfig?: string;
  /** Victims acted on at once when a fault hits many. */
  concurrency?: number;
  /** Each line faultline would print (already redacted). Default: kept on the result only. */
  log?: (line: string) => void;
  /** Every journal event as it happens, for a live view of your own. */
  listen?: JournalListener;
  /** Ends the run early: every fault is reverted and the run ends `interrupted`. */
  signal?: AbortSignal;
  /** Experiments marked `safety.production: true` run only when this is set, as `--yes` does. */
  confirmProduction?: boolean;
  /** Base folder of an inline experiment's relative paths (services' cwd, exec probes). Default: the working directory. */
  baseDir?: string;
}

export interface RunningExperiment extends AsyncDisposable {
  /** Settles when the run has ended and every fault was reverted. */
  readonly result: Promise<ExperimentResult>;
  /** Stops the run now (reverting everything); `result` settles with status `interrupted`. */
  stop(reason?: string): void;
}

export interface ExperimentHandle {
  /** The checked experiment; throws the same located `InvalidInputError` as `faultline validate`. */
  load(): Promise<LoadedExperiment>;
  /** Runs it to the end. */
  run(options?: ExperimentOptions): Promise<ExperimentResult>;
  /** Starts it and returns at once; `await using run = experiment(f).start()` stops it on scope exit. */
  start(options?: ExperimentOptions): RunningExperiment;
}

/**
 * An experiment from a file (YAML or JSON) or an inline object in the same shape. Nothing is read
 * until `load`, `run` or `start`.
 */
export function experiment(source: string | object, defaults: ExperimentOptions = {}): ExperimentHandle {
  const load = (): Promise<LoadedExperiment> => (typeof source === 'string' ? loadExperiment(source) : Promise.resolve().then(() => loadInline(source, defaults.baseDir)));
  const start = (more: ExperimentOptions = {}): RunningExperiment => {
    const options = { ...defaults, ...more };
    const stopper = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
    const result = load().then((loaded) => runOnce(loaded, options, signal));
    // A caller that only disposes must not see an unhandled rejection from the run itself.
    result.catch(() => undefined);
    return {
      result,
      stop: (reason) => stopper.abort(new Error(reason ?? 'stopped by the library caller')),
      async [Symbol.asyncDispose]() {
        stopper.abort(new Error('the scope that started the run ended'));
        await result.catch(() => undefined);
      },
    };
  };
  return { load, start, run: (options) => start(options).result };
}

/** An inline experiment goes through the same checks as a file, named `<inline experiment>`. */
function loadInline(value: object, baseDir = process.cwd()): LoadedExperiment {
  if (value === null || Array.isArray(value)) throw new InvalidInputError('an inline experiment must be an object with apiVersion, kind, metadata and spec');
  // YAML text of the object: the checks then locate each problem at a line of this rendering and
  // by its path in the document (spec.faults[0].kill.target), which is what an inline caller needs.
  return parseExperiment(stringify(value), path.join(baseDir, '<inline experiment>'));
}

async function runOnce(loaded: LoadedExperiment, options: ExperimentOptions, signal: AbortSignal): Promise<ExperimentResult> {
  if (loaded.experiment.spec.safety.production && !options.confirmProduction) {
    throw new InvalidInputError(`experiment "${loaded.experiment.metadata.name}" is marked production (safety.production: true); pass { confirmProduction: true } to run it from code`);
  }
  const lines: string[] = [];
  const term = libraryTerminal((line) => {
    lines.push(line);
    options.log?.(line);
  });
  const runOptions: RunOptions = {
    out: options.out ?? mkdtempSync(path.join(os.tmpdir(), 'faultline-runs-')),
    quiet: true,
    yes: true,
    ...(options.seed !== undefined ? { seed: String(options.seed) } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(options.junit ? { junit: options.junit } : {}),
    ...(options.markdown ? { markdown: options.markdown } : {}),
    ...(options.html ? { html: options.html } : {}),
    ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}),
    ...(options.kubeContext ? { context: options.kubeContext } : {}),
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  };
  const { code, journal, runDir } = await runLoaded(loaded, runOptions, term, signal, options.listen);
  return resultOf(journal, code, runDir, lines);
}
