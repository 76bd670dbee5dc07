// One workload's generator: operations start on the open-model schedule whatever the replies do;
// beyond maxInFlight an operation is recorded "dropped" at its scheduled time rather than delayed;
// each completed operation is appended to the history at once. What the final read needs (which
// writes were acknowledged or unknown) is kept as sequence numbers only.
import type { Clock } from '../domain/context.js';
import type { Operation } from '../domain/history.js';
import type { WorkloadSpec } from '../domain/workload.js';
import { classify, type OperationClient, type OperationVars } from './clients/client.js';
import { runOpenSchedule } from './open-schedule.js';

const MAX_ERROR = 300;

export interface WorkloadCounts {
  operations: number;
  ok: number;
  fail: number;
  unknown: number;
  dropped: number;
}

class OperationTimedOut extends Error {}
/** Ends an operation's timer once it completed; shared, since building an abort reason per operation is costly. */
const OPERATION_OVER = new Error('operation over');

export class WorkloadRunner {
  readonly counts: WorkloadCounts = { operations: 0, ok: 0, fail: 0, unknown: 0, dropped: 0 };
  /** Writes that were acknowledged or may have been applied: what the final read reads back. */
  readonly toReadBack: number[] = [];
  private readonly stopper = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<number> | undefined;

  constructor(
    readonly name: string,
    private readonly spec: WorkloadSpec,
    private readonly client: OperationClient,
    private readonly naming: (seq: number) => OperationVars,
    private readonly clock: Clock,
    private readonly record: (op: Operation) => void,
    private readonly redact: (text: string) => string = (t) => t,
  ) {}

  start(): void {
    this.loop ??= runOpenSchedule(this.clock, this.spec.rate, this.stopper.signal, (seq, scheduledAt) => this.launch(seq, scheduledAt));
  }

  /** No operation starts after this; those in flight complete (each is bounded by its timeout). */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private launch(seq: number, scheduledAt: number): void {
    const vars = this.naming(seq);
    if (this.inFlight.size >= this.spec.maxInFlight) {
      this.complete({ workload: this.name, seq, type: 'write', key: vars.key, value: vars.value, scheduledAt, startedAt: null, completedAt: null, outcome: 'dropped', error: `${this.spec.maxInFlight} operations already in flight (maxInFlight)` });
      return;
    }
    const op = this.execute(seq, scheduledAt, vars);
    const tracked = op.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async execute(seq: number, scheduledAt: number, vars: OperationVars): Promise<void> {
    const { clock } = this;
    const timeout = this.spec.write.timeout;
    // One controller: the timer aborts the request, and the end of the operation cancels the timer.
    const abort = new AbortController();
    const startedAt = clock.now();
    const expired = clock.sleep(timeout, abort.signal).then(() => {
      abort.abort(new OperationTimedOut(`no answer within ${timeout}ms`));
      throw abort.signal.reason;
    });
    const attempt = this.client.run(vars, abort.signal);
    // The loser of the race settles later, unobserved.
    attempt.catch(() => {});
    let outcome: Operation['outcome'] = 'ok';
    let error: string | undefined;
    try {
      await Promise.race([attempt, expired]);
    } catch (e) {
      if (abort.signal.reason instanceof OperationTimedOut) {
        outcome = 'unknown';
        error = abort.signal.reason.message;
      } else {
        ({ outcome, error } = classify(e));
      }
    } finally {
      abort.abort(OPERATION_OVER);
    }
    const completedAt = clock.now();
    if (outcome !== 'fail') this.toReadBack.push(seq);
    this.complete({ workload: this.name, seq, type: 'write', key: vars.key, value: vars.value, scheduledAt, startedAt, completedAt, outcome, ...(error ? { error: this.redact(error).slice(0, MAX_ERROR) } : {}) });
  }

  private complete(op: Operation): void {
    this.counts.operations += 1;
    this.counts[op.outcome] += 1;
    this.record(op);
  }
}
