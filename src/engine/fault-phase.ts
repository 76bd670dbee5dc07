// Injecting each fault at its `at`, concurrently where they overlap, holding it for `for` and
// reverting it; and, whatever happens, reverting everything still in place. A failed injection
// is recorded and ends the run (what was injected is still reverted); a failed revert makes the
// run unclean and says what may be left.
import pLimit from 'p-limit';
import { CommandStepError, type CommandRun } from '../domain/command.js';
import type { RunContext } from '../domain/context.js';
import type { Experiment, FaultKind, FaultSpec } from '../domain/experiment.js';
import { faultNames } from '../domain/fault-kinds/fault-names.js';
import type { Journal, Target } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import type { JournalRecorder } from '../journal/recorder.js';
import { timeToLive } from '../drivers/fault-handler.js';
import { HOLD_EXPIRY_MARGIN_MS, type RunLedger } from '../ledger/run-ledger.js';
import { injected, type Injected } from './injected.js';
import { refuseInterference, resolveFault, type ResolvedFault } from './resolve-fault.js';

type FaultRecord = Journal['faults'][number];

interface Planned {
  spec: FaultSpec;
  kind: FaultKind;
  fault: ResolvedFault;
  record: FaultRecord;
  /** Injections of this fault not yet reverted. */
  live: Injected[];
}

export class InjectionFailed extends Error {
  override readonly name = 'InjectionFailed';
}

const REVERT_ATTEMPTS = 3;

export class FaultPhase {
  private readonly planned: Planned[];
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(
    experiment: Experiment,
    driver: Driver,
    groups: ReadonlyMap<string, Target[]>,
    private readonly rec: JournalRecorder,
    concurrency = 16,
    private readonly ledger?: RunLedger,
  ) {
    this.limit = pLimit(concurrency);
    const names = faultNames(experiment.spec);
    this.planned = experiment.spec.faults.map((spec, i) => {
      const fault = resolveFault(spec, driver, groups);
      const kind = fault.kind;
      return {
        spec,
        kind,
        fault,
        record: { name: names[i]!, kind, injectedAt: null, revertedAt: null, instant: fault.instant },
        live: [],
      };
    });
    refuseInterference(experiment.spec.faults, names, this.planned.map((p) => p.fault));
    rec.journal.faults = this.planned.map((p) => p.record);
  }

  /** When the last fault is reverted if all goes to plan, relative to the phase start (ms). */
  get plannedLength(): number {
    return Math.max(0, ...this.planned.map((p) => p.spec.at + (p.spec.for ?? 0)));
  }

  /** Runs the schedule. Rejects when the context aborts (the caller then calls revertAll) or an injection fails. */
  async run(ctx: RunContext, revertCtx: RunContext): Promise<void> {
    const start = ctx.clock.now();
    await Promise.all(this.planned.map((p) => this.runOne(p, start, ctx, revertCtx)));
  }

  private async runOne(p: Planned, start: number, ctx: RunContext, revertCtx: RunContext): Promise<void> {
    await ctx.clock.sleep(start + p.spec.at - ctx.clock.now(), ctx.signal);
    ctx.signal.throwIfAborted();
    const victims = p.fault.victims();
    p.record.injectedAt = ctx.clock.now();
    const outcomes = await Promise.all(victims.map((v) => this.track(this.limit(() => this.injectOne(p, v, ctx)))));
    const failed = outcomes.filter((o): o is string => typeof o === 'string');
    if (failed.length) throw new InjectionFailed(`fault "${p.record.name}" could not be injected: ${failed.join('; ')}`);
    if (p.fault.instant || p.spec.for === undefined) return;
    await ctx.clock.sleep(p.spec.for, ctx.signal);
    await this.revertFault(p, revertCtx);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.add(promise);
    return promise.finally(() => this.inflight.delete(promise));
  }

  /** Returns an error message on failure; never throws. */
  private async injectOne(p: Planned, target: Target, ctx: RunContext): Promise<string | undefined> {
    let ran: CommandRun | undefined;
    try {
      const handler = p.fault.handler();
      const expiresAt = p.fault.instant || p.spec.for === undefined ? null : ctx.clock.now() + timeToLive(handler, p.fault.args, p.spec.for, HOLD_EXPIRY_MARGIN_MS);
      this.ledger?.intent(p.record.name, p.kind, target, expiresAt);
      // A driver that can make the fault end on its own (a Docker holder container) needs its expiry.
      const hold = expiresAt === null ? undefined : { fault: p.record.name, kind: p.kind, expiresAt };
      const args = { ...p.fault.args, ran: (r: CommandRun) => (ran = r) };
      const inj = injected(handler, target, await handler.inject(target, args, ctx, hold));
      p.live.push(inj);
      this.ledger?.injected(p.record.name, p.kind, target, inj.undo);
      this.rec.record('inject', { fault: p.record.name, kind: p.kind, target: target.name, ok: true, undo: inj.undo, ...(ran ? { command: ran } : {}) });
      return undefined;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const command = e instanceof CommandStepError ? e.run : ran;
      this.rec.record('inject', { fault: p.record.name, kind: p.kind, target: target.name, ok: false, error: message, ...(command ? { command } : {}) });
      return `${target.name}: ${message}`;
    }
  }

  private async revertFault(p: Planned, ctx: RunContext): Promise<void> {
    const live = p.live.splice(0);
    await Promise.all(live.map((inj) => this.limit(() => this.revertOne(p, inj, ctx))));
    if (live.length && !p.fault.instant) p.record.revertedAt = ctx.clock.now();
  }

  private async revertOne(p: Planned, inj: Injected, ctx: RunContext): Promise<void> {
    let lastError = '';
    let lastCommand: CommandRun | undefined;
    for (let attempt = 1; attempt <= REVERT_ATTEMPTS; attempt++) {
      try {
        const r = await inj.revert(ctx);
        const note = r.vanished ? `target vanished: counted as reverted${r.note ? ` (${r.note})` : ''}` : r.note;
        this.ledger?.reverted(p.record.name, p.kind, inj.target, note);
        this.rec.record('revert', { fault: p.record.name, kind: p.kind, target: inj.target.name, ok: true, ...(note ? { note } : {}), ...(r.command ? { command: r.command } : {}) });
        return;
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e);
        if (e instanceof CommandStepError) lastCommand = e.run;
        if (attempt < REVERT_ATTEMPTS) await ctx.clock.sleep(200 * attempt).catch(() => undefined);
      }
    }
    this.rec.record('revert', { fault: p.record.name, kind: p.kind, target: inj.target.name, ok: false, error: lastError, ...(lastCommand ? { command: lastCommand } : {}) });
    this.rec.journal.unclean = true;
    this.rec.journal.leftovers.push(
      `${p.kind} "${p.record.name}" on ${inj.target.name} may still be in place (${lastError}); its undo record is ${JSON.stringify(inj.undo)}`,
    );
  }

  /** Waits for injections in flight, then reverts everything not yet reverted. Never throws. */
  async revertAll(ctx: RunContext): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    await Promise.all(this.planned.map((p) => this.revertFault(p, ctx)));
  }

  get records(): FaultRecord[] {
    return this.planned.map((p) => p.record);
  }
}
