// The faultline command line: composes loaders, drivers, the engine and renderers; sets the exit
// code (never calls process.exit, so output is flushed and clean-up handlers run). Each command's
// module is imported when the command runs: `validate` should not pay for the engine and drivers.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FaultlineError, InvalidInputError } from '../domain/errors.js';
import { printable } from '../domain/printable.js';
import { EXIT } from '../engine/outcome.js';
import type { RunOptions } from './run-command.js';
import type { GamedayOptions } from './gameday-command.js';
import { registerHistoryCommand } from './history-command.js';
import { registerScheduleCommands } from './schedule-commands.js';
import { GRAFANA_TOKEN_VARIABLE, parseAnnotate, parsePushgateway } from './telemetry-options.js';
import { processTerminal, type Terminal } from './terminal.js';
import { VERSION } from './version.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    every objective was met
  1    an objective was missed, or could not be judged (unknown), or none was declared (nothing judged)
  2    invalid input or usage (nothing was touched)
  3    aborted: steady state not met, an abort condition fired, a fault could not be injected,
       or the engine/cluster/ports could not be used
  4    unclean: a revert failed; the run's journal lists what may be left and how to remove it
  130  interrupted (SIGINT/SIGTERM), after every fault was reverted`;

const PUBLISHING_HELP = `
Publishing (after every fault is reverted; a failure is a warning, never a different exit code):
  --annotate grafana=URL   token from FAULTLINE_GRAFANA_TOKEN (a service account token)
  OTEL_EXPORTER_OTLP_ENDPOINT=URL (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) makes every run a trace,
  exported over OTLP/HTTP; the other OTEL_* variables apply. See docs/observability.md.`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

export function buildProgram(term: Terminal, setCode: (code: number) => void): Command {
  const program = new Command('faultline')
    .description('Declarative chaos experiments for processes, Docker containers and Kubernetes pods, with faults that are always reverted and measured SLO verdicts.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => term.out(s.trimEnd()), writeErr: (s) => term.err(s.trimEnd()) })
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);

  program
    .command('validate')
    .description('check experiment, schedule and scenario files; touches nothing')
    .argument('<files...>', 'experiment, schedule or scenario files (YAML or JSON)')
    .action(async (files: string[]) => setCode(await (await import('./validate-command.js')).validateCommand(files, term)));

  program
    .command('import')
    .description('convert Chaos Toolkit experiments and Chaos Mesh resources into faultline files; prints what was mapped and what was not')
    .argument('<files...>', 'Chaos Toolkit experiments (JSON or YAML) or Chaos Mesh manifests (YAML, several documents allowed)')
    .option('--out <dir>', 'where to write the faultline files', '.')
    .option('--partial', 'write files even when some parts could not be imported, with a comment at each')
    .addHelpText('after', '\nExit codes: 0 every file imported; 2 a file could not be read, is of an unknown format or holds something not supported or invalid, or parts were not imported (without --partial).')
    .action(async (files: string[], o: { out: string; partial?: boolean }) => setCode(await (await import('./import-command.js')).importCommand(files, o, term)));

  program
    .command('plan')
    .description('resolve targets and print every action a run would take; touches nothing')
    .argument('<file>', 'experiment or scenario file')
    .option('--seed <seed>', 'seed for every random choice (overrides the file; for a scenario, its picks)')
    .option('--json', 'print the plan as JSON on stdout')
    .option('--docker-host <address>', 'Docker engine address (default DOCKER_HOST or /var/run/docker.sock)')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file (default KUBECONFIG, ~/.kube/config, then the in-cluster service account)')
    .action(async (file: string, o: { seed?: string; json?: boolean; dockerHost?: string; context?: string; kubeconfig?: string }) => setCode(await (await import('./plan-command.js')).planCommand(file, o, term)));

  program
    .command('run')
    .description('run an experiment: steady state, faults, recovery, verdicts')
    .argument('<file>', 'experiment file')
    .option('--seed <seed>', 'seed for every random choice (overrides the file)')
    .option('--out <dir>', 'root directory for run records', 'faultline-runs')
    .option('--junit <file>', 'also write JUnit XML here (one test case per objective)')
    .option('--markdown <file>', 'also write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--html <file>', 'also write the HTML report here')
    .option('--json', 'print the journal as JSON on stdout')
    .option('--yes', 'confirm experiments marked production without asking')
    .option('--dry-run', 'print the plan and touch nothing (same as `faultline plan`)')
    .option('--quiet', 'no live timeline, only the verdicts')
    .option('--console', 'serve the live web console (timeline, Halt, logbook); prints its URL and the facilitator link once')
    .option('--listen <address>', 'where the console listens, host:port (default 127.0.0.1 and a free port); anything but loopback shares it on the network')
    .option('--open', 'open the console in a browser (implies --console)')
    .addOption(new Option('--concurrency <n>', 'victims acted on at once').argParser(positiveInt))
    .option('--docker-host <address>', 'Docker engine address (default DOCKER_HOST or /var/run/docker.sock)')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file (default KUBECONFIG, ~/.kube/config, then the in-cluster service account)')
    .option('--state-dir <dir>', 'where ledgers and the halt lock live (default FAULTLINE_STATE_DIR or ~/.local/state/faultline)')
    .addOption(new Option('--annotate <grafana=URL>', `post an annotation per fault and one per run to Grafana (token from ${GRAFANA_TOKEN_VARIABLE})`).argParser(parseAnnotate))
    .addOption(new Option('--pushgateway <url>', "push the run's verdict metrics (the scheduler's metric names) to a Prometheus Pushgateway").argParser(parsePushgateway))
    .addHelpText('after', PUBLISHING_HELP)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string, o: RunOptions & { dryRun?: boolean }) => {
      if (o.dryRun) return setCode(await (await import('./plan-command.js')).planCommand(file, o, term));
      if (o.listen !== undefined && !o.console && !o.open) throw new InvalidInputError('--listen is for the console: add --console');
      setCode((await (await import('./run-command.js')).runCommand(file, { ...o, ...(o.open ? { console: true } : {}) }, term)).code);
    });

  program
    .command('gameday')
    .description('run a game-day scenario: its experiments in order, manual gates (press Enter), waits until recovered; Ctrl-C or `faultline halt` stops it all')
    .argument('<file>', 'scenario file')
    .option('--seed <seed>', "seed for the scenario's picks (overrides the file)")
    .option('--out <dir>', 'root directory for run records', 'faultline-runs')
    .option('--yes', 'confirm experiments marked production without asking')
    .option('--quiet', 'no live timeline, only the verdicts')
    .addOption(new Option('--concurrency <n>', 'victims acted on at once').argParser(positiveInt))
    .option('--docker-host <address>', 'Docker engine address (default DOCKER_HOST or /var/run/docker.sock)')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file (default KUBECONFIG, ~/.kube/config, then the in-cluster service account)')
    .option('--state-dir <dir>', 'where ledgers and the halt lock live (default FAULTLINE_STATE_DIR or ~/.local/state/faultline)')
    .option('--console', 'serve one live web console for the whole game day (timeline of each step, Advance at gates, Halt, logbook)')
    .option('--listen <address>', 'where the console listens, host:port (default 127.0.0.1 and a free port); implies --console')
    .addHelpText('after', `${EXIT_CODES_HELP}\n  A game day exits with its worst step's code; a wait that timed out gives 3, a halt or interrupt 130.`)
    .action(async (file: string, o: GamedayOptions) => setCode(await (await import('./gameday-command.js')).gamedayCommand(file, o, term)));

  program
    .command('report')
    .description("render a run's or a game day's report again from its journals, or a post-mortem draft")
    .argument('<run-dir>', 'a run directory (journal.json) or a game day directory (scenario.json) under --out')
    .option('--postmortem', 'write a Markdown post-mortem draft (postmortem.md in the run directory)')
    .option('-o, --output <file>', 'write here instead of the run directory')
    .action(async (dir: string, o: { postmortem?: boolean; output?: string }) => setCode(await (await import('./report-command.js')).reportCommand(dir, o, term)));

  program
    .command('rollback')
    .description('revert every fault that dead runs left in place (from their ledgers), then remove orphans by their run-id tags')
    .option('--run <id>', 'only this run')
    .option('--state-dir <dir>', 'where ledgers live (default FAULTLINE_STATE_DIR or ~/.local/state/faultline)')
    .option('--kubeconfig <file>', 'kubeconfig for Kubernetes runs, instead of the one each run recorded')
    .action(async (o: { run?: string; stateDir?: string; kubeconfig?: string }) => setCode(await (await import('./rollback-command.js')).rollbackCommand(o, term)));

  program
    .command('halt')
    .description('emergency stop: revert every active fault of every run and refuse new runs until --release')
    .option('--release', 'lift the halt lock')
    .option('--reason <text>', 'recorded in the lock and shown to anyone who tries to run')
    .option('--state-dir <dir>', 'where ledgers and the lock live (default FAULTLINE_STATE_DIR or ~/.local/state/faultline)')
    .option('--kubeconfig <file>', 'kubeconfig for Kubernetes runs, instead of the one each run recorded')
    .action(async (o: { release?: boolean; reason?: string; stateDir?: string; kubeconfig?: string }) => setCode(await (await import('./halt-command.js')).haltCommand(o, term)));

  program
    .command('reap')
    .description('Kubernetes: delete every object faultline created whose faultline.io/expires-at has passed, whatever run made it (what the reap CronJob runs)')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file (default KUBECONFIG, ~/.kube/config, then the in-cluster service account)')
    .option('--namespace <ns...>', 'namespaces to search (default: every namespace it may list, else the context namespace)')
    .option('--dry-run', 'list what would be removed; remove nothing')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText('after', '\nExit codes: 0 nothing expired is left; 4 something expired could not be removed; 2 bad usage; 3 the cluster could not be used.')
    .action(async (o: { context?: string; kubeconfig?: string; namespace?: string[]; dryRun?: boolean; json?: boolean }) => setCode(await (await import('./reap-command.js')).reapCommand(o, term)));

  program
    .command('images')
    .description('list the images held Docker faults need and whether the engine has them; --pull or --build-from-host gets them ahead of a run')
    .argument('[file]', 'an experiment whose spec.docker settings (host, holderImage, helperImage) apply')
    .option('--pull', 'pull the missing images, with progress')
    .option('--build-from-host', "build an equivalent image from this machine's binaries (docker import; no registry needed)")
    .option('--tag <repo>', 'repository --build-from-host tags as REPO:latest (default faultline-local/tools)')
    .option('--docker-host <address>', 'Docker engine address (default DOCKER_HOST or /var/run/docker.sock)')
    .action(async (file: string | undefined, o: { pull?: boolean; buildFromHost?: boolean; tag?: string; dockerHost?: string }) => setCode(await (await import('./images-command.js')).imagesCommand(file, o, term)));

  program
    .command('demo')
    .description('start a small replicated key-value service and run two experiments against it')
    .option('--out <dir>', 'root directory for run records', 'faultline-runs')
    .action(async (o: { out: string }) => setCode(await (await import('./demo-command.js')).demoCommand(o, term)));

  registerScheduleCommands(program, term, setCode);
  registerHistoryCommand(program, term, setCode);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const term = processTerminal();
  let code = 0;
  const program = buildProgram(term, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT.invalidInput;
    }
    if (e instanceof FaultlineError) {
      // A message can quote the file or an engine's answer.
      term.err(`faultline: ${printable(e.message)}`);
      return e.exitCode;
    }
    term.err(`faultline: internal error (this is a bug, please report it):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 70;
  }
}
