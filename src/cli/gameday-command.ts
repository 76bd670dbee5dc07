// `faultline gameday FILE`: runs a scenario's steps in order with the same machinery as `faultline
// run` for each experiment (its own run directory, journal, ledger, reverts), waits at manual gates
// for the facilitator, and writes the scenario's journal (scenario.json, linking every step's) and
// one report page for the whole game day. Exit code: the worst step's.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../domain/errors.js';
import type { Logger } from '../domain/context.js';
import { printable } from '../domain/printable.js';
import type { ScenarioStepRecord } from '../domain/scenario-journal.js';
import { runHostCommand } from '../drivers/host-command.js';
import { runScenario, type ScenarioStepInput } from '../engine/run-scenario.js';
import { describeLock, readHaltLock } from '../ledger/halt-lock.js';
import { defaultStateDir } from '../ledger/state-dir.js';
import { hostProbe } from '../probes/create-probe.js';
import { newRunId } from '../runtime/random.js';
import { systemClock } from '../runtime/system-clock.js';
import type { LoadedExperiment } from '../spec/load-experiment.js';
import { loadScenario } from '../spec/load-scenario.js';
import { parseListen } from './console-server.js';
import { openGamedayConsole } from './gameday-console.js';
import { anyGate, terminalGates, type GateSource } from './gates.js';
import { checkWritableDir } from './output-paths.js';
import { preflight } from './preflight.js';
import { runLoaded, type RunOptions } from './run-command.js';
import { interruptOnSignals } from './signals.js';
import type { Terminal } from './terminal.js';
import { VERSION } from './version.js';
import { writeScenarioJournal, writeScenarioReport } from './write-scenario.js';

export type GamedayOptions = Pick<RunOptions, 'seed' | 'out' | 'yes' | 'quiet' | 'dockerHost' | 'context' | 'kubeconfig' | 'concurrency' | 'stateDir' | 'console' | 'listen'>;

/** How many passes in a row count as recovered: the same default as a recovery objective's. */
const RECOVERED_AFTER_PASSES = 3;

export async function gamedayCommand(file: string, opts: GamedayOptions, term: Terminal, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  // A console address that cannot be used is refused before the scenario is even read.
  if (opts.listen !== undefined) parseListen(opts.listen);
  const loaded = await loadScenario(file, opts.seed);
  const { scenario } = loaded;
  const production = loaded.steps.flatMap((s) => (s.kind === 'experiment' && s.experiment.experiment.spec.safety.production ? [s.experiment.experiment.metadata.name] : []));
  if (production.length && !opts.yes) throw new InvalidInputError(`scenario "${scenario.metadata.name}" runs experiments marked production (${[...new Set(production)].join(', ')}); confirm with --yes`);
  const stateDir = path.resolve(opts.stateDir ?? defaultStateDir());
  preflight(stateDir);
  checkWritableDir('--out', opts.out ?? 'faultline-runs');

  const clock = systemClock;
  const startedAt = clock.now();
  const runId = newRunId(startedAt);
  const dir = path.join(path.resolve(opts.out ?? 'faultline-runs'), `${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}-${scenario.metadata.name}`);
  await mkdir(path.join(dir, 'steps'), { recursive: true, mode: 0o700 });
  const log: Logger = { info: (m) => term.err(m), warn: (m) => term.err(`warning: ${m}`), error: (m) => term.err(`error: ${m}`) };
  term.err(printable(`faultline ${VERSION}: game day ${scenario.metadata.name}, ${loaded.steps.length} steps, seed ${loaded.seed}${loaded.seedGiven ? '' : ' (fresh: pass --seed to pick the same experiments again)'}, run ${runId}`));

  const steps = loaded.steps.map((s): ScenarioStepInput<LoadedExperiment> => {
    if (s.kind === 'gate') return { kind: 'gate', label: s.label, ...(s.prompt !== undefined ? { prompt: s.prompt } : {}) };
    if (s.kind === 'wait') return { kind: 'wait', label: s.label, probe: hostProbe(s.probe, s.probeSpec, { runCommand: runHostCommand, cwd: s.of.dir }), of: s.of.experiment.metadata.name, atMost: s.atMost, consecutive: RECOVERED_AFTER_PASSES };
    const e = s.experiment;
    return { kind: 'experiment', label: s.label, experiment: e.experiment.metadata.name, file: path.relative(loaded.dir, e.file), ...(s.picked ? { picked: s.picked } : {}), payload: e };
  });

  // Before anything is touched: a console that cannot listen is an unusable environment.
  const live = opts.console || opts.listen !== undefined ? await openGamedayConsole({ name: scenario.metadata.name, runId, startedAt, stateDir, dir, ...(opts.listen !== undefined ? { listen: opts.listen } : {}) }, term) : undefined;
  const interrupts = interruptOnSignals(term);
  // The first source to answer advances a gate: Enter in the terminal, or the console's Advance.
  const gateSources: GateSource[] = [terminalGates(input, term), ...(live ? [live.gates] : [])];
  const gates = anyGate(gateSources);
  try {
    const journal = await runScenario<LoadedExperiment>({
      header: {
        runId,
        faultlineVersion: VERSION,
        scenario: { name: scenario.metadata.name, file: loaded.file, ...(scenario.metadata.description ? { description: scenario.metadata.description } : {}) },
        seed: loaded.seed,
      },
      steps,
      clock,
      interrupt: interrupts.signal,
      log,
      async runExperiment(experiment, interrupt) {
        const stepOpts: RunOptions = { ...opts, out: path.join(dir, 'steps'), stateDir, yes: true, ...(live ? { sharedConsole: live } : {}) };
        delete stepOpts.console;
        delete stepOpts.listen;
        delete stepOpts.seed; // --seed chooses the picks; each experiment keeps its own seed
        const r = await runLoaded(experiment, stepOpts, term, interrupt);
        return { code: r.code, journal: r.journal, runDir: path.relative(dir, r.runDir), journalFile: path.relative(dir, path.join(r.runDir, 'journal.json')) };
      },
      gate: (label, prompt, signal) => gates.wait(label, prompt, signal),
      halted() {
        const lock = readHaltLock(stateDir);
        return lock ? describeLock(lock, stateDir) : undefined;
      },
      record: (j) => writeScenarioJournal(dir, j),
      ...(live ? { onStep: (step: { label: string; kind: string }) => live.step(step) } : {}),
    });
    const report = await writeScenarioReport(dir, journal);
    term.err(printable(`\ngame day ${scenario.metadata.name}: ${journal.status}${journal.reason ? ` (${journal.reason})` : ''}`));
    for (const s of journal.steps) term.err(printable(`  ${s.label}. ${stepLine(s)}`));
    term.err(`journal: ${path.join(dir, 'scenario.json')}\nreport:  ${report}`);
    return journal.exitCode ?? 0;
  } finally {
    gates.close();
    interrupts.dispose();
    await live?.close();
  }
}

function stepLine(s: ScenarioStepRecord): string {
  if (s.kind === 'gate') return `gate: ${s.outcome}${s.by ? ` (${s.by})` : ''}`;
  if (s.kind === 'wait') return `wait for ${s.probe}: ${s.outcome}${s.recoveredAfterMs !== undefined ? ` after ${(s.recoveredAfterMs / 1000).toFixed(1)}s` : ''}`;
  const verdicts = s.verdicts?.length ? `, ${s.verdicts.filter((v) => v.status === 'met').length}/${s.verdicts.length} objectives met` : '';
  return `${s.experiment}: ${s.outcome === 'ran' ? `${s.status}${verdicts} (exit ${s.exitCode})` : s.outcome}${s.error ? `: ${s.error.split('\n')[0]}` : ''}`;
}
