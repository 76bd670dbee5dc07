// The runner's side of the run's engine holder (run-holder-script.ts): its stdin and stdout through
// the engine's attach call, each hold registered and acknowledged before its fault is applied, each
// released after its revert. A hold is known outside this process by its reference
// `<container id>:<hold id>` (in undo records); only the process that registered it can release it,
// any other (rollback, halt) ends it by sweeping the holder (sweep.ts reads the holder's log).
import { Writable, type Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { EngineCall } from './engine-calls.js';
import { isNotFound } from './errors.js';
import { holdLine, releaseLine, type HoldRecord } from './run-holder-script.js';

/** How long an answer of the holder may take: far beyond a busy engine's, short of a hung one. */
export const ACK_TIMEOUT_MS = 15_000;

/** Whether an id in an undo record is a hold of a run holder (else it is a per-fault holder container). */
export function isHoldRef(ref: string): boolean {
  return ref.includes(':');
}

export class RunHolder {
  private seq = 0;
  private text = '';
  private gone: string | undefined;
  private readonly answers = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  /** Holds registered and not released: what the holder still ends at expiry if nobody else does. */
  private readonly live = new Set<string>();

  constructor(
    readonly containerId: string,
    private readonly stream: Duplex,
    private readonly docker: Dockerode,
  ) {
    const stdout = new Writable({ write: (chunk: Buffer, _enc, done) => (this.read(chunk.toString('utf8')), done()) });
    // Its stderr only carries the retries of a call at expiry: nobody here needs them.
    const stderr = new Writable({ write: (_chunk, _enc, done) => done() });
    docker.modem.demuxStream(stream, stdout, stderr);
    stream.on('close', () => this.fail('its attach stream closed'));
    stream.on('error', (e: Error) => this.fail(e.message));
    // The socket must never keep a finished runner alive; while the runner waits for an answer its
    // timeout keeps it alive.
    (stream as Partial<{ unref(): void }>).unref?.();
  }

  /** Usable for a new hold (its channel is open). */
  get usable(): boolean {
    return this.gone === undefined;
  }

  owns(ref: string): boolean {
    return ref.startsWith(`${this.containerId}:`);
  }

  private read(chunk: string): void {
    this.text += chunk;
    let nl: number;
    while ((nl = this.text.indexOf('\n')) >= 0) {
      const [what, id] = this.text.slice(0, nl).split(' ', 2);
      this.text = this.text.slice(nl + 1);
      if (what === 'held' || what === 'released') this.answers.get(`${what} ${id}`)?.resolve();
    }
  }

  private fail(why: string): void {
    this.gone ??= why;
    for (const a of this.answers.values()) a.reject(new Error(`the run's engine holder is gone: ${why}`));
    this.answers.clear();
  }

  /** Sends `line` and waits for `answer`, with a deadline. */
  private async ask(line: string, answer: string, ctx: RunContext): Promise<void> {
    if (this.gone) throw new Error(`the run's engine holder is gone: ${this.gone}`);
    const answered = new Promise<void>((resolve, reject) => this.answers.set(answer, { resolve, reject }));
    const stop = new AbortController();
    const timeout = ctx.clock.sleep(ACK_TIMEOUT_MS, stop.signal).then(
      () => 'timeout' as const,
      () => 'answered' as const,
    );
    try {
      this.stream.write(line);
      if ((await Promise.race([answered.then(() => 'answered' as const), timeout])) === 'timeout') throw new Error(`the run's engine holder did not answer "${answer}" within ${ACK_TIMEOUT_MS} ms`);
    } finally {
      stop.abort();
      this.answers.delete(answer);
    }
  }

  /** Registers a fault's expiry; resolves once the holder's timer is armed, with the hold's reference. */
  async hold(record: HoldRecord, calls: readonly EngineCall[], expiresAtMs: number, ctx: RunContext): Promise<string> {
    const id = `h${++this.seq}`;
    try {
      await this.ask(holdLine(id, expiresAtMs, calls, record), `held ${id}`, ctx);
    } catch (e) {
      // Unanswered in time is not unarmed: a slow holder may still arm this timer, and the fault
      // then gets a holder of its own, so this one must not also play the undo at expiry. The
      // holder reads its stdin in order, so the release lands after the hold.
      if (!this.gone) this.stream.write(releaseLine(id));
      throw e;
    }
    this.live.add(id);
    return `${this.containerId}:${id}`;
  }

  /** Disarms a hold of this holder (after its fault was reverted). */
  async release(ref: string, ctx: RunContext): Promise<void> {
    const id = ref.slice(ref.indexOf(':') + 1);
    if (!this.live.has(id)) return;
    try {
      await this.ask(releaseLine(id), `released ${id}`, ctx);
    } catch (e) {
      // Removed or stopped under the run (a halt, a sweep by another process): nothing is left to
      // fire, so the revert that came before this stands. A holder still running may still fire.
      if (!this.gone || (await this.running())) throw e;
    }
    this.live.delete(id);
  }

  private async running(): Promise<boolean> {
    try {
      return (await this.docker.getContainer(this.containerId).inspect()).State.Running;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /**
   * At the run's end: closes the holder's stdin. Returns whether it holds nothing (it may then be
   * removed); one that still holds faults (their revert failed) ends them at expiry, then exits.
   */
  close(): boolean {
    this.stream.destroy();
    return this.live.size === 0;
  }
}
