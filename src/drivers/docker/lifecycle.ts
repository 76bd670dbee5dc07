// Kill, pause, restart, stop and start through the engine API, one call each: no inspect before
// acting, so a kill costs what a raw API call costs. "Already in that state" and "gone" are
// outcomes for the revert side, not errors.
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { JsonValue, Target } from '../../domain/model.js';
import { isCpuUndo, limitCpu, restoreCpu, type CpuUndo } from './cpu.js';
import type { LifecycleActions, RevertResult, TargetState } from '../driver.js';
import { engineMessage, isNoop, isNotFound } from './errors.js';
import type { EngineHold, Holders } from './holder.js';
import { FAULT_APPLIED_SEAM, seam } from './test-seam.js';

function gone(t: Target, action: string): Error {
  return new Error(`cannot ${action} ${t.name}: the container no longer exists (it disappeared after selection)`);
}

export class DockerLifecycle implements LifecycleActions {
  /**
   * @param directSignals Whether signals may go straight to the container's main process (root on
   * the Docker host). The API's kill is a *manual stop* to Docker: a container killed through it is
   * not restarted by its restart policy, and the call waits for the whole stop. A signal from the
   * host is a crash, which is what a kill fault means, and it is applied the moment it is sent.
   */
  constructor(
    private readonly docker: Dockerode,
    private readonly directSignals: () => boolean = () => false,
    private readonly holders?: Holders,
  ) {}

  /**
   * Applies a held fault after its holder is armed, so a runner killed in between leaves a
   * holder with nothing to undo rather than a fault with no holder; a failed apply takes the
   * holder down again.
   */
  private async held<U extends JsonValue>(t: Target, kind: string, undo: U, held: EngineHold<U> | undefined, ctx: RunContext, apply: () => Promise<void>): Promise<void> {
    const id = held ? await this.holders?.engine({ kind, targetId: t.id, targetName: t.name, undo }, held.calls(undo), ctx, held.hold) : undefined;
    try {
      await apply();
    } catch (err) {
      if (id) await this.holders!.release(ctx.runId, kind, t.id, [id], ctx).catch((e: unknown) => ctx.log.warn(`removing the holder of a failed ${kind}: ${String(e)}`));
      throw err;
    }
    await seam(FAULT_APPLIED_SEAM, t.id, ctx);
  }

  private async act(t: Target, action: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (isNotFound(err)) throw gone(t, action);
      throw new Error(`cannot ${action} ${t.name}: ${engineMessage(err)}`);
    }
  }

  async kill(t: Target, signal: string, _ctx: RunContext): Promise<void> {
    if (!this.directSignals()) return this.act(t, 'kill', () => this.docker.getContainer(t.id).kill({ signal }));
    let state: Dockerode.ContainerInspectInfo['State'];
    try {
      state = (await this.docker.getContainer(t.id).inspect()).State;
    } catch (err) {
      if (isNotFound(err)) throw gone(t, 'kill');
      throw err;
    }
    // A frozen process only receives the signal once thawed; the API knows how to do that.
    if (!state.Running || state.Paused || state.Pid <= 0) return this.act(t, 'kill', () => this.docker.getContainer(t.id).kill({ signal }));
    try {
      process.kill(state.Pid, signal as NodeJS.Signals);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') throw gone(t, 'kill');
      throw new Error(`cannot kill ${t.name}: ${(err as Error).message}`);
    }
  }

  /** `held`, when given, starts a holder that unpauses it at the hold's expiry. */
  pause(t: Target, ctx: RunContext, held?: EngineHold<{ action: 'unpause'; target: string }>): Promise<void> {
    return this.held(t, 'pause', { action: 'unpause', target: t.id }, held, ctx, () => this.act(t, 'pause', () => this.docker.getContainer(t.id).pause()));
  }

  async unpause(t: Target, ctx: RunContext): Promise<RevertResult> {
    return this.thenRelease(ctx, 'pause', t.id, undefined, async () => {
      try {
        await this.docker.getContainer(t.id).unpause();
        return {};
      } catch (err) {
        if (isNotFound(err)) return { vanished: true };
        if (isNoop(err)) return { note: `${t.name} was not paused any more` };
        throw new Error(`cannot unpause ${t.name}: ${engineMessage(err)}`);
      }
    });
  }

  /**
   * Plays a revert, then removes the fault's holders. In that order, so a runner killed in the
   * middle of a revert still leaves the holder to finish it; a holder that fires in between finds
   * nothing to do (every holder action is an idempotent undo). A failed revert keeps its holder.
   */
  private async thenRelease(ctx: RunContext, kind: string, targetId: string, ids: readonly string[] | undefined, revert: () => Promise<RevertResult>): Promise<RevertResult> {
    const r = await revert();
    await this.holders?.release(ctx.runId, kind, targetId, ids, ctx);
    return r;
  }

  restart(t: Target, timeoutMs: number, _ctx: RunContext): Promise<void> {
    return this.act(t, 'restart', () => this.docker.getContainer(t.id).restart({ t: Math.ceil(timeoutMs / 1000) }));
  }

  /** `held`, when given, starts a holder that starts it again at the hold's expiry. */
  async stop(t: Target, timeoutMs: number, ctx: RunContext, held?: EngineHold<{ action: 'start'; target: string }>): Promise<void> {
    const apply = async () => {
      try {
        await this.docker.getContainer(t.id).stop({ t: Math.ceil(timeoutMs / 1000) });
      } catch (err) {
        if (isNotFound(err)) throw gone(t, 'stop');
        if (!isNoop(err)) throw new Error(`cannot stop ${t.name}: ${engineMessage(err)}`);
      }
    };
    return this.held(t, 'stop', { action: 'start', target: t.id }, held, ctx, apply);
  }

  async start(t: Target, ctx: RunContext): Promise<RevertResult> {
    return this.thenRelease(ctx, 'stop', t.id, undefined, async () => {
      try {
        await this.docker.getContainer(t.id).start();
        return {};
      } catch (err) {
        if (isNotFound(err)) return { vanished: true };
        if (isNoop(err)) return { note: `${t.name} was already running` };
        throw new Error(`cannot start ${t.name}: ${engineMessage(err)}`);
      }
    });
  }

  async state(t: Target, _ctx: RunContext): Promise<TargetState> {
    try {
      const s = (await this.docker.getContainer(t.id).inspect()).State;
      if (s.Paused) return 'paused';
      return s.Running ? 'running' : 'stopped';
    } catch (err) {
      if (isNotFound(err)) return 'gone';
      throw err;
    }
  }

  /** `held`, when given, starts a holder that restores the original limits at the hold's expiry. */
  async limitCpu(t: Target, cpus: number, ctx: RunContext, held?: EngineHold<CpuUndo>): Promise<CpuUndo> {
    const holders = this.holders;
    const undo = await limitCpu(
      this.docker,
      t.id,
      t.name,
      cpus,
      holders && held ? (u) => holders.engine({ kind: 'cpu', targetId: t.id, targetName: t.name, undo: u as unknown as JsonValue }, held.calls(u), ctx, held.hold) : undefined,
      holders && ((id) => holders.releaseIds([id], ctx)),
    );
    await seam(FAULT_APPLIED_SEAM, t.id, ctx);
    return undo;
  }

  async restoreCpu(t: Target, undo: JsonValue, ctx: RunContext): Promise<RevertResult> {
    if (!isCpuUndo(undo)) throw new Error(`not a CPU undo record: ${JSON.stringify(undo)}`);
    return this.thenRelease(ctx, 'cpu', t.id, undo.holders ?? [], () => restoreCpu(this.docker, undo));
  }
}
