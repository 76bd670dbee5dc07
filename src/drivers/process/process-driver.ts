// The process driver: services are local processes faultline starts, supervises and stops, or
// external servers it never touches but reaches through links; links are paths through
// faultline's in-process fault proxy. Everything it starts, it stops in close().
import path from 'node:path';
import type { Clock, RunContext } from '../../domain/context.js';
import { EnvironmentError, InvalidInputError } from '../../domain/errors.js';
import { isExternal, type Experiment, type LinkSpec, type SelectorSpec, type StartedServiceSpec } from '../../domain/experiment.js';
import type { Target } from '../../domain/model.js';
import { formatDuration, parseAddress as endpoint } from '../../domain/units.js';
import type { Driver, DriverEvent, LifecycleActions, TargetState } from '../driver.js';
import { findProgram } from '../host-command.js';
import { bindFaults, type DriverFaults } from '../fault-handler.js';
import { PROCESS_FAULTS } from './faults/index.js';
import { LinkNetwork, type LinkProxy } from './link-network.js';
import { addressInUse, waitReady } from './readiness.js';
import { RUN_ID_ENV, RUNNER_ENV, SERVICE_ENV, sweepOrphanedRuns, sweepRunProcesses } from './orphans.js';
import { SupervisedService } from './supervised-service.js';

/** The fault proxy as the driver needs it: links plus impairments. */
export interface ProcessProxy extends LinkProxy {
  addLink(name: string, listen: { host: string; port: number }, upstream: { host: string; port: number }): Promise<void>;
  close(): Promise<void>;
}

export interface ProcessDriverOptions {
  /** Directory of the experiment file: relative `cwd`s resolve against it. */
  baseDir: string;
  /** Builds the fault proxy for this run (seeded by the engine's rng). */
  createProxy: (rng: () => number) => ProcessProxy;
  clock: Clock;
  /** Where service output is written, one file per service; omitted = kept in memory only. */
  logDir?: string;
  /** Applied to service output before it is written (secrets the service echoes). */
  redact?: (text: string) => string;
  env?: NodeJS.ProcessEnv;
}

export class ProcessDriver implements Driver {
  readonly name = 'process' as const;
  private readonly services = new Map<string, SupervisedService>();
  private declared: NonNullable<Experiment['spec']['services']> = {};
  private proxy: ProcessProxy | undefined;
  /** Replaced in configure() with the experiment's links; until then (rollback) it only restores. */
  network: LinkNetwork = this.linkNetwork({});
  private readonly listeners: ((e: DriverEvent) => void)[] = [];
  readonly faults: DriverFaults = bindFaults('process', PROCESS_FAULTS, this);

  constructor(private readonly opts: ProcessDriverOptions) {}

  subscribe(listener: (e: DriverEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(e: DriverEvent): void {
    for (const l of this.listeners) l(e);
  }

  configure(experiment: Experiment): void {
    this.declared = experiment.spec.services ?? {};
    // Built here, not in open(), so that `plan` can describe link faults without starting anything.
    this.network = this.linkNetwork(experiment.spec.links ?? {});
  }

  private linkNetwork(links: Record<string, LinkSpec>): LinkNetwork {
    return new LinkNetwork(links, {
      impair: (link, imp) => this.requireProxy().impair(link, imp),
      remove: (id) => this.proxy?.remove(id) ?? false,
    });
  }

  private requireProxy(): ProcessProxy {
    if (!this.proxy) throw new Error('the fault proxy is not running');
    return this.proxy;
  }

  async open(experiment: Experiment, ctx: RunContext): Promise<void> {
    this.configure(experiment);
    const services = this.started();
    const links: Record<string, LinkSpec> = experiment.spec.links ?? {};
    this.checkPrograms(services);
    await this.checkAddressesFree(services, links);
    try {
      this.proxy = this.opts.createProxy(ctx.rng);
      for (const [name, link] of Object.entries(links)) {
        await this.proxy.addLink(name, endpoint(link.listen), endpoint(link.upstream)).catch((e: NodeJS.ErrnoException) => {
          throw new EnvironmentError(`link "${name}" cannot listen on ${link.listen}: ${e.code === 'EADDRINUSE' ? 'the address is already in use' : e.message}`);
        });
      }
      for (const [name, spec] of Object.entries(services)) await this.startService(name, spec, ctx);
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  /** The services faultline runs itself: external ones are left alone. */
  private started(): Record<string, StartedServiceSpec> {
    return Object.fromEntries(Object.entries(this.declared).filter((e): e is [string, StartedServiceSpec] => !isExternal(e[1])));
  }

  private checkPrograms(services: Record<string, StartedServiceSpec>): void {
    const missing = Object.entries(services)
      .filter(([, s]) => !findProgram(s.command[0]!, this.cwdOf(s.cwd), this.opts.env?.PATH))
      .map(([name, s]) => `service "${name}": command "${s.command[0]}" was not found${s.command[0]!.includes('/') ? '' : ' on PATH'}`);
    if (missing.length) throw new InvalidInputError(missing.join('\n'));
  }

  private async checkAddressesFree(services: Record<string, StartedServiceSpec>, links: Record<string, LinkSpec>): Promise<void> {
    const wanted: [string, string][] = [
      ...Object.entries(links).map(([n, l]): [string, string] => [l.listen, `link "${n}"`]),
      ...Object.entries(services).flatMap(([n, s]): [string, string][] => (s.ready?.tcp ? [[s.ready.tcp, `service "${n}"`]] : [])),
    ];
    for (const [address, owner] of wanted) {
      if (await addressInUse(address)) {
        throw new EnvironmentError(`${address} is already in use by another process, but ${owner} needs it; stop whatever listens there (e.g. \`ss -ltnp | grep ${endpoint(address).port}\`) or change the experiment`);
      }
    }
  }

  private cwdOf(cwd: string | undefined): string {
    return path.resolve(this.opts.baseDir, cwd ?? '.');
  }

  private async startService(name: string, spec: StartedServiceSpec, ctx: RunContext): Promise<void> {
    const svc = new SupervisedService(name, { ...spec, cwd: this.cwdOf(spec.cwd) }, {
      clock: this.opts.clock,
      // The run id in the environment is how a later `faultline rollback` or the watchdog
      // recognises this process as ours, even if its pid was recycled in between.
      env: { ...(this.opts.env ?? process.env), [RUN_ID_ENV]: ctx.runId, [SERVICE_ENV]: name, [RUNNER_ENV]: String(process.pid) },
      onEvent: (e) => this.emit(e),
      ...(this.opts.logDir ? { logFile: path.join(this.opts.logDir, `${name}.log`) } : {}),
      ...(this.opts.redact ? { redact: this.opts.redact } : {}),
    });
    this.services.set(name, svc);
    svc.start();
    if (!spec.ready) return;
    const ready = await waitReady(spec.ready, this.opts.clock, () => svc.pid === undefined && svc.starts > 0 && spec.restart === 'never', ctx.signal);
    if (!ready) {
      const output = svc.recentOutput();
      const why = svc.pid === undefined ? 'exited before it was ready' : `was not ready within ${spec.ready.timeout}ms`;
      throw new EnvironmentError(`service "${name}" ${why}${output ? `; its last output:\n${output}` : ''}`);
    }
    this.emit({ service: name, event: 'ready', ...(svc.pid ? { pid: svc.pid } : {}) });
  }

  async candidates(selector: SelectorSpec, group: string): Promise<Target[]> {
    return (selector.names ?? [])
      .filter((n) => n in this.declared)
      .sort()
      .map((n): Target => {
        const spec = this.declared[n]!;
        const meta: Target['meta'] = isExternal(spec) ? { external: true } : { pid: this.services.get(n)?.pid ?? null, command: spec.command.join(' ') };
        return { driver: 'process', group, id: n, name: n, meta };
      });
  }

  private service(t: Target): SupervisedService {
    const s = this.services.get(t.id);
    if (!s) throw new Error(`no service "${t.id}"`);
    return s;
  }

  readonly lifecycle: LifecycleActions = {
    kill: async (t, signal) => {
      if (!this.service(t).signal(signal as NodeJS.Signals)) throw new Error(`service "${t.name}" is not running`);
    },
    pause: async (t) => {
      if (!this.service(t).signal('SIGSTOP')) throw new Error(`service "${t.name}" is not running`);
    },
    unpause: async (t) => (this.services.get(t.id)?.signal('SIGCONT') ? {} : { vanished: true, note: 'the process is gone; nothing to resume' }),
    restart: async (t, timeoutMs) => this.service(t).restart(timeoutMs),
    state: async (t): Promise<TargetState> => {
      const s = this.services.get(t.id);
      if (!s || s.pid === undefined) return 'gone';
      return s.isStopped() ? 'paused' : 'running';
    },
  };

  /** Processes of a run that outlived it (its runner was killed): resumed, then stopped. */
  sweep(runId: string): Promise<string[]> {
    return sweepRunProcesses(runId);
  }

  /** Processes tagged with a run id whose runner is gone: orphans even when their ledger is lost. */
  sweepOrphans(): Promise<string[]> {
    return sweepOrphanedRuns();
  }

  async close(): Promise<void> {
    const all = [...this.services.values()].reverse();
    this.services.clear();
    await Promise.all(all.map((s) => s.stop().catch(() => undefined)));
    await this.proxy?.close().catch(() => undefined);
    this.proxy = undefined;
  }
}
