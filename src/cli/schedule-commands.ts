// The `faultline schedule` command group: preview, run (daemon or --once) and resume.
import { InvalidArgumentError, Option, type Command } from 'commander';
// Only types here: the scheduler (luxon, prom-client, the engine) loads when a schedule command runs.
import type { ScheduleRunOptions } from './schedule-run.js';
import type { PreviewOptions } from './schedule-preview.js';
import type { Terminal } from './terminal.js';

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number, at least ${min}`);
    return n;
  };
}

export function registerScheduleCommands(program: Command, term: Terminal, setCode: (code: number) => void): void {
  const schedule = program.command('schedule').description('run experiments on a calendar: random or cron instants in time windows, reproducible from a seed');

  schedule
    .command('preview')
    .description('list when each experiment would run and which targets it would pick; touches nothing')
    .argument('<file>', 'schedule file (kind: Schedule)')
    .addOption(new Option('--days <n>', 'how many days to list').argParser(wholeNumber(1)).default(7))
    .option('--from <date>', 'start of the listing: a date (local midnight) or a local date and time; default now')
    .option('--seed <seed>', 'seed for the whole sequence (overrides the file)')
    .option('--json', 'print the runs as JSON on stdout')
    .option('--docker-host <address>', 'Docker engine address, for planning Docker experiments')
    .option('--context <name>', 'kubeconfig context, for planning Kubernetes experiments')
    .action(async (file: string, o: PreviewOptions) => setCode(await (await import('./schedule-preview.js')).schedulePreviewCommand(file, o, term)));

  schedule
    .command('run')
    .description('the scheduler daemon: sleeps until each instant and runs the experiment like `faultline run`')
    .argument('<file>', 'schedule file (kind: Schedule)')
    .option('--once', 'run at most one due experiment, then exit (for cron and Kubernetes CronJobs)')
    .addOption(new Option('--metrics-port <port>', 'serve Prometheus metrics at /metrics on this port (0: any free port)').argParser(wholeNumber(0)))
    .option('--metrics-host <address>', 'address the metrics server listens on (0.0.0.0 in a pod)', '127.0.0.1')
    .option('--state-dir <dir>', 'state directory: halt lock, ledgers, the schedule state (default FAULTLINE_STATE_DIR or ~/.local/state/faultline)')
    .option('--out <dir>', 'root directory for run records', 'faultline-runs')
    .option('--seed <seed>', 'seed for the whole sequence (overrides the file)')
    .option('--max-lateness <duration>', 'skip an instant once it is this late (the daemon was down, the machine slept)', '15m')
    .option('--yes', 'confirm experiments marked production, which the schedule runs unattended')
    .option('--leader-elect', 'with several replicas, act only while holding a coordination.k8s.io Lease')
    .option('--lease-namespace <ns>', 'namespace of the Lease (default: the context namespace)')
    .option('--lease-name <name>', 'name of the Lease')
    .option('--lease-duration <duration>', 'how long the lease holds without renewal', '15s')
    .option('--lease-identity <id>', 'this replica\'s name in the Lease (default POD_NAME, else host-pid)')
    .option('--kubeconfig <file>', 'kubeconfig for leader election')
    .option('--docker-host <address>', 'Docker engine address')
    .option('--context <name>', 'kubeconfig context')
    .action(async (file: string, o: ScheduleRunOptions) => setCode(await (await import('./schedule-run.js')).scheduleRunCommand(file, o, term)));

  schedule
    .command('resume')
    .description('resume a schedule paused after a missed objective')
    .argument('<file>', 'schedule file (kind: Schedule)')
    .option('--state-dir <dir>', 'state directory (as given to `schedule run`)')
    .action(async (file: string, o: { stateDir?: string }) => setCode(await (await import('./schedule-run.js')).scheduleResumeCommand(file, o, term)));
}
