// `faultline schedule run` (the daemon, or `--once` for cron and CronJobs) and
// `faultline schedule resume`. Composes the schedule, the scheduler, the CLI runner, the halt lock,
// the state file, metrics and, with --leader-elect, a Kubernetes Lease.
import { hostname } from 'node:os';
import path from 'node:path';
import type { Clock, Logger } from '../domain/context.js';
import { InvalidInputError } from '../domain/errors.js';
import { parseDuration } from '../domain/units.js';
import { EXIT, exitCodeOf } from '../engine/outcome.js';
import { readHaltLock } from '../ledger/halt-lock.js';
import { defaultStateDir } from '../ledger/state-dir.js';
import { systemClock } from '../runtime/system-clock.js';
import { Calendar } from '../schedule/calendar.js';
import { LeaderElector } from '../schedule/leader-election.js';
import { combineEvents, ScheduleMetrics } from '../schedule/metrics.js';
import { scheduleStatePath } from '../schedule/schedule-state.js';
import { FileScheduleState } from './schedule-state-file.js';
import { Scheduler, type ExperimentRunner, type HaltSwitch, type SchedulerEvents } from '../schedule/scheduler.js';
import { Timeline } from '../schedule/timeline.js';
import { loadSchedule, type LoadedSchedule } from '../spec/load-schedule.js';
import { serveMetrics, type MetricsServer } from './schedule-metrics-server.js';
import { cliRunner, type DriverFlags } from './schedule-runner.js';
import { scheduleSeed } from './schedule-seed.js';
import type { Terminal } from './terminal.js';

export interface ScheduleRunOptions extends DriverFlags {
  once?: boolean;
  metricsPort?: number;
  metricsHost?: string;
  stateDir?: string;
  out?: string;
  seed?: string;
  maxLateness?: string;
  yes?: boolean;
  leaderElect?: boolean;
  leaseNamespace?: string;
  leaseName?: string;
  leaseDuration?: string;
  leaseIdentity?: string;
  kubeconfig?: string;
}

/** The parts a test replaces: time, the runner, and where stop requests come from. */
export interface ScheduleRunDeps {
  clock?: Clock;
  runner?: ExperimentRunner;
  /** Aborts to stop the daemon; default SIGINT/SIGTERM (a SIGTERM while halted only interrupts runs). */
  stop?: AbortSignal;
  events?: Partial<SchedulerEvents>;
  pollMs?: number;
  onMetrics?: (server: MetricsServer) => void;
}

/** The halt lock of the state directory (`faultline halt`); a corrupt lock counts as set. */
export function haltLockSwitch(stateDir: string): HaltSwitch {
  return { isHalted: async () => readHaltLock(stateDir) !== undefined };
}

export async function scheduleRunCommand(file: string, o: ScheduleRunOptions, term: Terminal, deps: ScheduleRunDeps = {}): Promise<number> {
  const clock = deps.clock ?? systemClock;
  const log = timestamped(term, clock);
  const loaded = await loadSchedule(file, clock.now());
  refuseUnconfirmedProduction(loaded, o);
  const { spec, metadata } = loaded.schedule;
  const stateDir = path.resolve(o.stateDir ?? defaultStateDir());
  const maxLateness = o.maxLateness === undefined ? undefined : durationFlag('--max-lateness', o.maxLateness);
  const seed = scheduleSeed(spec.seed, o.seed);
  const names = loaded.experiments.map((e) => e.experiment.metadata.name);
  log.info(`schedule ${metadata.name}: ${names.length} experiment${names.length === 1 ? '' : 's'} (${names.join(', ')}), ${spec.calendar.timezone}, seed ${seed.value}${seed.given ? '' : ' (fresh)'}, state ${scheduleStatePath(stateDir, metadata.name)}`);

  const metrics = new ScheduleMetrics(metadata.name);
  // Everything that can refuse (kubeconfig, metrics port) is set up before anything long-lived starts.
  const elector = o.leaderElect ? await leaderElector(o, clock, log, (leading) => metrics.leader(leading)) : undefined;
  const server = o.metricsPort === undefined ? undefined : await serveMetrics(metrics, o.metricsPort, o.metricsHost);
  if (server) {
    log.info(`metrics: http://${o.metricsHost ?? '127.0.0.1'}:${server.port}/metrics`);
    deps.onMetrics?.(server);
  }

  const halt = haltLockSwitch(stateDir);
  const stopping = new AbortController();
  const scheduler = new Scheduler({
    timeline: new Timeline({ calendar: new Calendar(spec.calendar), cadence: spec.cadence, seed: seed.value, experiments: loaded.experiments.length }),
    experiments: names,
    concurrency: spec.concurrency,
    onObjectiveMissed: spec.onObjectiveMissed,
    clock,
    log,
    runner: deps.runner ?? cliRunner(loaded.experiments, { out: path.resolve(o.out ?? 'faultline-runs'), stateDir, ...pick(o) }, term),
    state: new FileScheduleState(scheduleStatePath(stateDir, metadata.name)),
    halt,
    ...(elector ? { leader: elector } : {}),
    events: combineEvents(metrics.events(), deps.events ?? {}),
    ...(maxLateness !== undefined ? { maxLateness } : {}),
    ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
  });
  const signals = deps.stop ? undefined : stopOnSignals(log, stopping, halt, () => scheduler.interruptRuns('halt'));
  deps.stop?.addEventListener('abort', () => stopping.abort(deps.stop!.reason), { once: true });

  let electing: Promise<void> | undefined;
  try {
    if (o.once) {
      if (elector) await elector.tryAcquireOrRenew();
      const journal = await scheduler.runOnce(stopping.signal);
      await elector?.release();
      return journal ? exitCodeOf(journal) : EXIT.ok;
    }
    if (elector) electing = elector.run(stopping.signal);
    await scheduler.runDaemon(stopping.signal);
    log.info('schedule: stopped');
    return EXIT.ok;
  } finally {
    stopping.abort('exit');
    await electing;
    signals?.dispose();
    await server?.close();
  }
}

/** `faultline schedule resume`: clears a pause left by a missed objective. */
export async function scheduleResumeCommand(file: string, o: { stateDir?: string }, term: Terminal): Promise<number> {
  const loaded = await loadSchedule(file, systemClock.now());
  const stateDir = path.resolve(o.stateDir ?? defaultStateDir());
  const store = new FileScheduleState(scheduleStatePath(stateDir, loaded.schedule.metadata.name));
  const { paused } = await store.read();
  if (!paused) {
    term.out(`schedule ${loaded.schedule.metadata.name} is not paused`);
    return EXIT.ok;
  }
  await store.update(({ paused: _, ...rest }) => rest);
  term.out(`schedule ${loaded.schedule.metadata.name} resumed (it was paused since ${new Date(paused.since).toISOString()}: ${paused.experiment} ${paused.reason}, run ${paused.runId})`);
  return EXIT.ok;
}

/** A daemon runs unattended: experiments marked production must be confirmed once, up front, with --yes. */
function refuseUnconfirmedProduction(loaded: LoadedSchedule, o: ScheduleRunOptions): void {
  const production = loaded.experiments.filter((e) => e.experiment.spec.safety.production).map((e) => e.experiment.metadata.name);
  if (production.length && !o.yes) {
    throw new InvalidInputError(`experiments marked production (safety.production: true): ${production.join(', ')}; a schedule runs them unattended, so confirm with --yes`);
  }
}

async function leaderElector(o: ScheduleRunOptions, clock: Clock, log: Logger, onChange: (leading: boolean) => void): Promise<LeaderElector> {
  if (!o.leaseName) throw new InvalidInputError('--leader-elect needs --lease-name (and usually --lease-namespace)');
  const [{ loadKubeConfig }, { KubernetesLeaseStore }] = await Promise.all([import('../drivers/kubernetes/load-kubeconfig.js'), import('../drivers/kubernetes/lease-store.js')]);
  const kc = loadKubeConfig({ ...(o.context ? { context: o.context } : {}), ...(o.kubeconfig ? { kubeconfigPath: o.kubeconfig } : {}) });
  const namespace = o.leaseNamespace ?? kc.namespace;
  // In a pod, the pod name (downward API) is the natural identity; elsewhere host and pid.
  const identity = o.leaseIdentity ?? process.env.POD_NAME ?? `${hostname()}-${process.pid}`;
  const durationMs = o.leaseDuration === undefined ? 15_000 : durationFlag('--lease-duration', o.leaseDuration);
  log.info(`leader election: lease ${namespace}/${o.leaseName} on ${kc.server} as ${identity}`);
  return new LeaderElector({ identity, store: new KubernetesLeaseStore(kc.kubeConfig, namespace, o.leaseName), clock, log, leaseDurationMs: durationMs, retryMs: Math.max(200, Math.floor(durationMs / 5)), onChange });
}

/**
 * SIGINT/SIGTERM stop the daemon (running experiments are interrupted and revert). `faultline halt`
 * also sends SIGTERM to every live runner; when the halt lock is set, the signal interrupts the
 * running experiments but the daemon stays, idle, until the lock is released.
 */
function stopOnSignals(log: Logger, stopping: AbortController, halt: HaltSwitch, interruptRuns: () => void): { dispose(): void } {
  const handler = (sig: NodeJS.Signals) => {
    void halt.isHalted().then((halted) => {
      if (halted && sig === 'SIGTERM') {
        log.warn('schedule: SIGTERM with the halt lock set: interrupting running experiments; the daemon stays, idle, until the lock is released');
        interruptRuns();
        return;
      }
      if (stopping.signal.aborted) return log.warn(`schedule: ${sig} again; still reverting`);
      log.warn(`schedule: ${sig}: stopping; running experiments are interrupted and revert`);
      stopping.abort(sig);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

function timestamped(term: Terminal, clock: Clock): Logger {
  const line = (level: string, m: string) => term.err(`${new Date(clock.now()).toISOString()} ${level} ${m}`);
  return { info: (m) => line('info', m), warn: (m) => line('warn', m), error: (m) => line('error', m) };
}

function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (typeof ms !== 'number') throw new InvalidInputError(`${flag}: ${ms.error}`);
  return ms;
}

function pick(o: DriverFlags): DriverFlags {
  return { ...(o.dockerHost ? { dockerHost: o.dockerHost } : {}), ...(o.context ? { context: o.context } : {}) };
}
