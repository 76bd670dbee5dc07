// What the live console knows about the run it shows: every journal event and sample so far, as
// numbered messages serialized once (a late viewer or a reconnecting one replays them from its
// Last-Event-ID, and ten viewers cost one JSON.stringify each), and the objectives as they stand,
// computed with the same SLO maths that will judge the run.
import type { ObjectiveSpec } from '../domain/experiment.js';
import type { WorkloadInterval } from '../domain/live-workload.js';
import type { JournalEvent, Sample } from '../domain/model.js';
import type { JournalListener } from '../journal/recorder.js';
import { formatValue } from '../report/index.js';
import { evaluate, evaluateHumanDetection, faultInstant, type FaultRecord } from '../slo/index.js';

/** What the console shows before anything happens: the run, each fault's hold, the objectives. */
export interface ConsolePlan {
  experiment: string;
  runId: string;
  driver: string;
  startedAt: number;
  faults: { name: string; for: number | null }[];
  objectives: ObjectiveSpec[];
}

export type ConsoleEvent = Parameters<JournalListener>[0];

export interface ConsoleMessage {
  id: number;
  /** The SSE event name the page listens for. */
  event: 'journal' | 'sample' | 'workload';
  data: string;
}

/** met-so-far / at-risk / missed are judgements on the data so far; waiting: nothing to judge yet; at-end: judged after the run (workloads, counts). */
export type StandingState = 'waiting' | 'met-so-far' | 'at-risk' | 'missed' | 'at-end';

export interface Standing {
  objective: string;
  state: StandingState;
  /** The running value, e.g. "97.2%", or "—". */
  value: string;
  bound: string;
}

export class ConsoleState {
  readonly messages: ConsoleMessage[] = [];
  /** Each workload's intervals in order: the series its throughput and latency curves are drawn from. */
  readonly workloads = new Map<string, WorkloadInterval[]>();
  private readonly samples: Sample[] = [];
  private readonly detected: Extract<JournalEvent, { type: 'detected' }>[] = [];
  private readonly lastOk = new Map<string, boolean>();
  private readonly faults = new Map<string, FaultRecord>();
  private faultStart: number | null = null;

  constructor(readonly plan: ConsolePlan) {
    // Faults not yet injected are known from the start: recovery is not measured from an earlier
    // fault while a later one is still to come.
    for (const f of plan.faults) this.faults.set(f.name, { name: f.name, kind: '', injectedAt: null, revertedAt: null, instant: f.for === null });
  }

  /** Adds an event; returns its message, to be sent to every viewer. */
  observe(e: ConsoleEvent): ConsoleMessage {
    if (e.type === 'sample') {
      this.samples.push(e.sample);
      this.lastOk.set(e.sample.probe, e.sample.ok);
    } else if (e.type === 'workload') {
      const series = this.workloads.get(e.interval.workload) ?? [];
      series.push(e.interval);
      this.workloads.set(e.interval.workload, series);
    } else {
      this.track(e);
    }
    const message: ConsoleMessage =
      e.type === 'sample' ? { id: this.messages.length + 1, event: 'sample', data: JSON.stringify(e.sample) }
      : e.type === 'workload' ? { id: this.messages.length + 1, event: 'workload', data: JSON.stringify(e.interval) }
      : { id: this.messages.length + 1, event: 'journal', data: JSON.stringify(e) };
    this.messages.push(message);
    return message;
  }

  private track(e: JournalEvent): void {
    if (e.type === 'detected') this.detected.push(e);
    if (e.type === 'phase' && e.phase === 'inject') this.faultStart = e.t;
    if (e.type === 'inject' && e.ok) {
      const f = this.faults.get(e.fault) ?? { name: e.fault, kind: e.kind, injectedAt: null, revertedAt: null, instant: false };
      f.kind = e.kind;
      f.injectedAt ??= e.t;
      this.faults.set(e.fault, f);
    }
    if (e.type === 'revert' && e.ok) {
      const f = this.faults.get(e.fault);
      if (f) f.revertedAt = e.t;
    }
  }

  /** Probe objectives judged over the samples so far; nothing is measured before the first injection. */
  standing(now: number): Standing[] {
    const faults = [...this.faults.values()];
    return this.plan.objectives.map((o) => {
      // A person's Detected mark is judged as it is made: the console is its logbook.
      if ('detection' in o && o.detection.by === 'human' && this.faultStart !== null) {
        const v = evaluateHumanDetection(o.detection, { detected: this.detected }, faults, { start: this.faultStart, end: now });
        const state: StandingState = v.status === 'met' ? 'met-so-far' : v.status === 'missed' ? 'missed' : 'waiting';
        return { objective: v.objective, state, value: v.measured === null ? '—' : formatValue(v.measured, v.unit), bound: formatValue(v.bound, v.unit) };
      }
      const probe = 'recovery' in o ? o.recovery.probe : 'availability' in o ? o.availability.probe : 'latency' in o ? o.latency.probe : undefined;
      if (probe === undefined || this.faultStart === null) {
        const v = evaluate({ objectives: [o], samples: [], faults: [], window: { start: 0, end: 0 } })[0];
        const live = probe !== undefined || ('detection' in o && o.detection.by === 'human');
        return { objective: v?.objective ?? 'objective', state: live ? 'waiting' : 'at-end', value: '—', bound: v ? formatValue(v.bound, v.unit) : '' };
      }
      const v = evaluate({ objectives: [o], samples: this.samples, faults, window: { start: this.faultStart, end: now } })[0]!;
      const bound = formatValue(v.bound, v.unit);
      const failingNow = this.lastOk.get(probe) === false;
      if ('recovery' in o) {
        const over = o.recovery.after !== undefined ? faults.filter((f) => f.name === o.recovery.after) : faults;
        const measured = over.every((f) => faultInstant(f) !== null) ? v.measured : null;
        if (measured === null) return { objective: v.objective, state: failingNow ? 'at-risk' : 'waiting', value: '—', bound };
        return { objective: v.objective, state: measured <= o.recovery.within ? 'met-so-far' : 'missed', value: formatValue(measured, 'ms'), bound };
      }
      const value = v.measured === null ? '—' : formatValue(v.measured, v.unit);
      const state: StandingState = v.measured === null ? 'waiting' : v.status === 'missed' ? 'missed' : failingNow ? 'at-risk' : 'met-so-far';
      return { objective: v.objective, state, value, bound };
    });
  }
}
