// What the live status line says while a run is going: the phase and elapsed time, the faults in
// place with a countdown to each planned revert, each probe objective's running value beside its
// target, and each probe's health. Built only from the journal's events as they arrive, so what
// a facilitator sees is what the journal will say; the running values come from the same SLO maths
// that judges the run, over the samples so far.
import type { Experiment, ObjectiveSpec } from '../domain/experiment.js';
import type { JournalEvent, ObjectiveVerdict, Phase, Sample } from '../domain/model.js';
import { printable } from '../domain/printable.js';
import type { JournalListener } from '../journal/recorder.js';
import { formatValue, type Paint } from '../report/index.js';
import { PERCENTILE_KEYS, evaluate, faultInstant, type FaultRecord, type LatencySpec, type PercentileKey } from '../slo/index.js';
import { faultNames } from '../domain/fault-kinds/fault-names.js';

/** What the status line needs from the experiment: each fault's hold, and the objectives. */
export interface LivePlan {
  faults: { name: string; for: number | null }[];
  objectives: ObjectiveSpec[];
}

export function livePlan(experiment: Experiment): LivePlan {
  const names = faultNames(experiment.spec);
  return { faults: experiment.spec.faults.map((f, i) => ({ name: names[i]!, for: f.for ?? null })), objectives: experiment.spec.objectives };
}

interface ProbeHealth {
  last?: Sample;
  ok: number;
  total: number;
}

interface Held {
  targets: Set<string>;
  /** When the engine will revert it: its first injection plus its hold. */
  revertAt: number;
}

type LiveEvent = Parameters<JournalListener>[0];

const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)}s`;

export class LiveStatus {
  private phase: Phase = 'setup';
  private readonly probes = new Map<string, ProbeHealth>();
  private readonly samples: Sample[] = [];
  private readonly faults = new Map<string, FaultRecord>();
  private readonly holds = new Map<string, number>();
  private readonly held = new Map<string, Held>();
  private faultStart: number | null = null;

  constructor(
    private readonly startedAt: number,
    private readonly plan: LivePlan,
  ) {
    // Faults not yet injected are known from the start: recovery is not measured from an earlier
    // fault while a later one is still to come.
    for (const f of plan.faults) {
      this.faults.set(f.name, { name: f.name, kind: '', injectedAt: null, revertedAt: null, instant: f.for === null });
      if (f.for !== null) this.holds.set(f.name, f.for);
    }
  }

  observe(e: LiveEvent): void {
    if (e.type === 'sample') return this.sample(e.sample);
    if (e.type === 'phase') {
      this.phase = e.phase;
      if (e.phase === 'inject') this.faultStart = e.t;
    }
    if (e.type === 'inject' && e.ok) this.injected(e);
    if (e.type === 'revert' && e.ok) this.reverted(e);
  }

  private sample(s: Sample): void {
    this.samples.push(s);
    const h = this.probes.get(s.probe) ?? { ok: 0, total: 0 };
    h.last = s;
    h.total++;
    if (s.ok) h.ok++;
    this.probes.set(s.probe, h);
  }

  private injected(e: Extract<JournalEvent, { type: 'inject' }>): void {
    const f = this.faults.get(e.fault) ?? { name: e.fault, kind: e.kind, injectedAt: null, revertedAt: null, instant: !this.holds.has(e.fault) };
    f.kind = e.kind;
    f.injectedAt ??= e.t;
    this.faults.set(e.fault, f);
    const hold = this.holds.get(e.fault);
    if (hold === undefined) return;
    const h = this.held.get(e.fault) ?? { targets: new Set<string>(), revertAt: f.injectedAt + hold };
    h.targets.add(e.target);
    this.held.set(e.fault, h);
  }

  private reverted(e: Extract<JournalEvent, { type: 'revert' }>): void {
    const h = this.held.get(e.fault);
    if (!h) return;
    h.targets.delete(e.target);
    if (h.targets.size > 0) return;
    this.held.delete(e.fault);
    const f = this.faults.get(e.fault);
    if (f) f.revertedAt = e.t;
  }

  /** The status line at `now`, e.g. "[inject] +6.2s  in place: pause-1 on primary, reverts in 3.8s  |  writes availability 97.2% (≥ 95%)  writes recovery —/10s  |  writes ✔ 3ms 97%". */
  text(now: number, paint: Paint): string {
    const parts = [`[${this.phase}] +${seconds(now - this.startedAt)}`];
    if (this.held.size) {
      const faults = [...this.held].map(([name, h]) => {
        const left = h.revertAt - now;
        return `${name} on ${printable([...h.targets].join(', '))}, ${left > 0 ? `reverts in ${seconds(left)}` : 'reverting'}`;
      });
      parts.push(paint('yellow', `in place: ${faults.join('; ')}`));
    }
    const objectives = this.objectives(now, paint);
    if (objectives.length) parts.push(objectives.join('  '));
    const health = [...this.probes].map(([name, h]) => {
      const mark = h.last?.ok ? paint('green', '✔') : paint('red', '✘');
      return `${name} ${mark} ${h.last ? `${h.last.ms.toFixed(0)}ms` : ''} ${((h.ok / Math.max(1, h.total)) * 100).toFixed(0)}%`;
    });
    if (health.length) parts.push(health.join('  '));
    return parts.join('  |  ');
  }

  /**
   * Probe objectives only: workload objectives are judged after the final read-back. Nothing is
   * shown as measured before the first injection (objectives are measured from it), and recovery
   * only once every fault it is measured from is over.
   */
  private objectives(now: number, paint: Paint): string[] {
    const faults = [...this.faults.values()];
    return this.plan.objectives.flatMap((o) => {
      const probe = 'recovery' in o ? o.recovery.probe : 'availability' in o ? o.availability.probe : 'latency' in o ? o.latency.probe : undefined;
      if (probe === undefined) return [];
      const v = this.faultStart === null ? null : evaluate({ objectives: [o], samples: this.samples, faults, window: { start: this.faultStart, end: now } })[0]!;
      if ('recovery' in o) {
        const over = o.recovery.after !== undefined ? faults.filter((f) => f.name === o.recovery.after) : faults;
        const measured = v && over.every((f) => faultInstant(f) !== null) ? v.measured : null;
        const value = measured === null ? '—' : paint(measured <= o.recovery.within ? 'green' : 'red', formatValue(measured, 'ms'));
        return [`${probe} recovery ${value}/${formatValue(o.recovery.within, 'ms')}`];
      }
      if ('availability' in o) return [`${probe} availability ${runningValue(v, paint)} (≥ ${formatValue(o.availability.atLeast, '%')})`];
      if (!('latency' in o)) return [];
      const key = latencyKey(o.latency, v);
      return [`${probe} ${key} ${runningValue(v, paint)} (≤ ${formatValue(o.latency[key]!, 'ms')})`];
    });
  }
}

function runningValue(v: ObjectiveVerdict | null, paint: Paint): string {
  if (v === null || v.measured === null) return '—';
  return paint(v.status === 'met' ? 'green' : 'red', formatValue(v.measured, v.unit));
}

/** The percentile shown: the one the verdict measured (the nearest to its limit), else the first one declared. */
function latencyKey(l: LatencySpec, v: ObjectiveVerdict | null): PercentileKey {
  const declared = PERCENTILE_KEYS.filter((k) => l[k] !== undefined);
  return declared.find((k) => v?.measured != null && l[k] === v.bound && v.figures[k] === v.measured) ?? declared[0]!;
}
