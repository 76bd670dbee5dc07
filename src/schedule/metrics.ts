// The scheduler's Prometheus metrics, on a Registry this module creates (never prom-client's
// global one), fed by the scheduler's events and each run's journal.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Journal } from '../domain/model.js';
import type { JournalListener } from '../journal/recorder.js';
import type { SchedulerEvents, SkipReason } from './scheduler.js';

export class ScheduleMetrics {
  readonly registry = new Registry();
  private readonly runs: Counter<'experiment' | 'status'>;
  private readonly skips: Counter<'experiment' | 'reason'>;
  private readonly objectives: Counter<'experiment' | 'kind' | 'result'>;
  private readonly recovery: Histogram<'experiment'>;
  private readonly faultsActive: Gauge<'experiment'>;
  private readonly next: Gauge;
  private readonly flags: Gauge<'state'>;

  /** Without a schedule (a single run's metrics, pushed to a Pushgateway) there is no `schedule` label. */
  constructor(schedule?: string) {
    const registers = [this.registry];
    if (schedule !== undefined) this.registry.setDefaultLabels({ schedule });
    this.runs = new Counter({ name: 'faultline_schedule_runs_total', help: 'Scheduled runs by experiment and outcome (completed, failed, aborted, interrupted, deviated, unclean, or error-*).', labelNames: ['experiment', 'status'], registers });
    this.skips = new Counter({ name: 'faultline_schedule_skipped_total', help: 'Scheduled instants that did not start an experiment, by reason.', labelNames: ['experiment', 'reason'], registers });
    this.objectives = new Counter({ name: 'faultline_schedule_objectives_total', help: 'Objective verdicts of scheduled runs (result: met, missed, or unknown when it could not be judged).', labelNames: ['experiment', 'kind', 'result'], registers });
    this.recovery = new Histogram({
      name: 'faultline_schedule_recovery_seconds',
      help: 'Measured time to recovery of recovery objectives.',
      labelNames: ['experiment'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.faultsActive = new Gauge({ name: 'faultline_schedule_faults_active', help: 'Faults injected and not yet reverted.', labelNames: ['experiment'], registers });
    this.next = new Gauge({ name: 'faultline_schedule_next_run_timestamp_seconds', help: 'Unix time of the next scheduled instant (0 when there is none).', registers });
    this.flags = new Gauge({ name: 'faultline_schedule_state', help: '1 when the schedule is in this state: paused, halted, leader.', labelNames: ['state'], registers });
  }

  events(): Partial<SchedulerEvents> {
    return {
      nextInstant: (at) => this.next.set(at === undefined ? 0 : Math.floor(at / 1000)),
      finished: (experiment, journal) => this.finished(experiment, journal),
      errored: (experiment, kind) => this.runs.inc({ experiment, status: `error-${kind}` }),
      skipped: (experiment, reason: SkipReason) => this.skips.inc({ experiment, reason }),
      listener: (experiment) => this.listener(experiment),
      state: (s) => {
        this.flags.set({ state: 'paused' }, s.paused ? 1 : 0);
        this.flags.set({ state: 'halted' }, s.halted ? 1 : 0);
        this.flags.set({ state: 'leader' }, s.leader ? 1 : 0);
      },
    };
  }

  leader(leading: boolean): void {
    this.flags.set({ state: 'leader' }, leading ? 1 : 0);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private finished(experiment: string, j: Journal): void {
    this.runs.inc({ experiment, status: j.unclean ? 'unclean' : j.deviated ? 'deviated' : j.status });
    for (const v of j.verdicts) {
      this.objectives.inc({ experiment, kind: v.kind, result: v.status ?? (v.met ? 'met' : 'missed') });
      if (v.kind === 'recovery' && v.measured !== null) this.recovery.observe({ experiment }, v.measured / 1000);
    }
    // Whatever the events said, a finished run has nothing left in place unless it is unclean.
    this.faultsActive.set({ experiment }, j.unclean ? j.leftovers.length : 0);
  }

  private listener(experiment: string): JournalListener {
    return (e) => {
      if (e.type === 'inject' && e.ok) this.faultsActive.inc({ experiment });
      else if (e.type === 'revert' && e.ok) this.faultsActive.dec({ experiment });
    };
  }
}

/** Combines several event sinks (metrics, tests) into one. */
export function combineEvents(...sinks: Partial<SchedulerEvents>[]): Partial<SchedulerEvents> {
  const keys = ['nextInstant', 'started', 'finished', 'errored', 'skipped', 'state'] as const;
  const out: Partial<SchedulerEvents> = {};
  for (const k of keys) {
    const fns = sinks.map((s) => s[k]).filter(Boolean) as ((...a: unknown[]) => void)[];
    if (fns.length) (out as Record<string, unknown>)[k] = (...a: unknown[]) => fns.forEach((f) => f(...a));
  }
  const listeners = sinks.map((s) => s.listener).filter(Boolean) as ((x: string) => JournalListener)[];
  if (listeners.length) out.listener = (x) => {
    const ls = listeners.map((l) => l(x));
    return (e) => ls.forEach((l) => l(e));
  };
  return out;
}
