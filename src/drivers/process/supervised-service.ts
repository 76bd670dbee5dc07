// One service the process driver started: spawned in its own process group (so a signal reaches
// its children too, and the terminal's Ctrl-C reaches faultline only, which then stops it in
// order), restarted according to its policy, its output kept for error messages and logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Clock } from '../../domain/context.js';
import type { StartedServiceSpec } from '../../domain/experiment.js';
import type { DriverEvent } from '../driver.js';
import { groupAlive, processState } from '../../runtime/processes.js';

export interface ServiceDeps {
  clock: Clock;
  onEvent: (e: DriverEvent) => void;
  env: NodeJS.ProcessEnv;
  logFile?: string;
  redact?: (text: string) => string;
}

const TAIL_LINES = 20;

export class SupervisedService {
  private child: ChildProcess | undefined;
  private stopping = false;
  private forceRestart = false;
  private exited: Promise<void> = Promise.resolve();
  /** Resolves when the last start's stdout and stderr have closed: its output is all read. */
  private drained: Promise<void> = Promise.resolve();
  /** The process group of the last start, which outlives its leader while a child holds on. */
  private group: number | undefined;
  private tail: string[] = [];
  private log: WriteStream | undefined;
  /** Times the supervisor started the process (1 = first start). */
  starts = 0;

  constructor(readonly name: string, readonly spec: StartedServiceSpec & { cwd: string }, private readonly deps: ServiceDeps) {
    if (deps.logFile) {
      this.log = createWriteStream(deps.logFile, { flags: 'a', mode: 0o600 });
      // A log that cannot be written (disk full, file removed) must not end the run.
      this.log.on('error', (e) => this.remember([`faultline: service log: ${e.message}`]));
    }
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** The last lines the service wrote, for "exited before it was ready" messages. */
  recentOutput(): string {
    return this.tail.join('\n');
  }

  start(): void {
    const [file, ...args] = this.spec.command;
    const child = spawn(file!, args, {
      cwd: this.spec.cwd,
      env: { ...this.deps.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.group = child.pid;
    this.starts++;
    const onOutput = (chunk: Buffer) => {
      const text = this.deps.redact ? this.deps.redact(chunk.toString('utf8')) : chunk.toString('utf8');
      // 'exit' comes before the pipes are read to the end, so output can arrive after stop().
      if (this.log?.writable) this.log.write(text);
      this.remember(text.split('\n').filter(Boolean));
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.on('error', (e) => this.remember([`faultline: ${e.message}`]));
    this.drained = new Promise((resolve) => child.on('close', () => resolve()));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.deps.onEvent({ service: this.name, event: 'exited', pid: child.pid, code, signal });
        resolve();
        void this.afterExit(code, signal);
      });
    });
    if (child.pid !== undefined) this.deps.onEvent({ service: this.name, event: 'started', pid: child.pid });
  }

  private async afterExit(code: number | null, signal: string | null): Promise<void> {
    if (this.stopping) return;
    const failed = code !== 0 || signal !== null;
    const again = this.forceRestart || this.spec.restart === 'always' || (this.spec.restart === 'on-failure' && failed);
    if (!again) return;
    const delay = this.forceRestart ? 0 : this.spec.restartDelay;
    this.forceRestart = false;
    this.deps.onEvent({ service: this.name, event: 'restarting' });
    await this.deps.clock.sleep(delay);
    if (!this.stopping) this.start();
  }

  private remember(lines: string[]): void {
    this.tail = [...this.tail, ...lines].slice(-TAIL_LINES);
  }

  /** Signal the whole process group. False when there was no live process to signal. */
  signal(sig: NodeJS.Signals): boolean {
    const pid = this.pid;
    return pid !== undefined && signalGroup(pid, sig);
  }

  isStopped(): boolean {
    const pid = this.pid;
    return pid !== undefined && processState(pid) === 'T';
  }

  /** Stop, then start again regardless of the restart policy: a deploy, as the service sees it. */
  async restart(timeoutMs: number): Promise<void> {
    if (this.pid === undefined) {
      this.start();
      return;
    }
    this.forceRestart = true;
    await this.terminate(timeoutMs);
  }

  /** Stop for good: no restart afterwards. Never throws. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signal('SIGCONT');
    await this.terminate(this.spec.stopTimeout);
    this.deps.onEvent({ service: this.name, event: 'stopped' });
    // What the service wrote last is still in the pipes; the log keeps it before it closes. The
    // group is gone by now, so the pipes close at once unless something outside it holds them.
    if (!(await this.within(DRAIN_MS, this.drained))) {
      this.child?.stdout?.destroy();
      this.child?.stderr?.destroy();
    }
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }

  /**
   * SIGTERM to the group, then SIGKILL to whatever of it is left after the grace period: the
   * leader, and a child that ignored SIGTERM or outlived the leader (it would keep the service's
   * port or pipes).
   */
  private async terminate(timeoutMs: number): Promise<void> {
    const group = this.group;
    if (group === undefined) return;
    // The leader, or what a leader that exited by itself left in its group, still holding what the
    // service held: a group with a live member cannot be a recycled pid's, so it is still ours.
    const live = this.pid !== undefined || groupAlive(group);
    if (!live || !signalGroup(group, 'SIGTERM')) return;
    signalGroup(group, 'SIGCONT');
    const deadline = this.deps.clock.now() + timeoutMs;
    const exited = await this.within(timeoutMs, this.exited);
    const emptied = exited && (await this.groupGone(group, deadline));
    if (!emptied) signalGroup(group, 'SIGKILL');
    await this.exited;
  }

  /** True when `p` settled within `ms`. */
  private async within(ms: number, p: Promise<void>): Promise<boolean> {
    const cancel = new AbortController();
    const settled = await Promise.race([
      p.then(() => true),
      this.deps.clock.sleep(ms, cancel.signal).then(() => false, () => false),
    ]);
    cancel.abort();
    return settled;
  }

  private async groupGone(group: number, deadline: number): Promise<boolean> {
    for (;;) {
      if (!groupAlive(group)) return true;
      if (this.deps.clock.now() >= deadline) return false;
      await this.deps.clock.sleep(GROUP_POLL_MS);
    }
  }
}

/** How long stop() waits for the pipes to close once the group is gone. */
const DRAIN_MS = 2000;
const GROUP_POLL_MS = 20;

function signalGroup(group: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-group, sig);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}
