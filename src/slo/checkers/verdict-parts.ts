// Pieces shared by the workload verdicts: finding a workload's summary and phase, and the figures
// every durability-based verdict carries.
import type { ObjectiveVerdict } from '../../domain/model.js';
import type { PhaseName } from '../../domain/history.js';
import type { DurabilityFigures, PhaseStats, WorkloadSummary } from '../../domain/workload-summary.js';

type Base = Omit<ObjectiveVerdict, 'status' | 'met' | 'measured' | 'detail' | 'figures'>;

export function unknownVerdict(base: Base, why: string, figures: ObjectiveVerdict['figures'] = {}): ObjectiveVerdict {
  return { ...base, status: 'unknown', met: false, measured: null, detail: `could not be judged: ${why}`, figures };
}

export function judged(base: Base, met: boolean, measured: number | null, detail: string, figures: ObjectiveVerdict['figures']): ObjectiveVerdict {
  return { ...base, status: met ? 'met' : 'missed', met, measured, detail, figures };
}

/** The summary of `workload`, or why there is none. */
export function summaryOf(workloads: readonly WorkloadSummary[] | undefined, workload: string): WorkloadSummary | string {
  return workloads?.find((w) => w.workload === workload) ?? `no history was recorded for workload "${workload}"`;
}

/** The stats of one phase, or why the phase cannot be judged. */
export function phaseOfSummary(s: WorkloadSummary, during: PhaseName): PhaseStats | string {
  const p = s.phases.find((x) => x.phase === during);
  if (!p || p.start === null) return during === 'recovery' && s.bounds.faultStart !== null ? 'the fault phase never ended (a fault was not reverted), so there is no recovery phase' : `there was no ${during} phase: no fault was injected`;
  if (p.operations === 0) return `workload "${s.workload}" scheduled no operation during the ${during} phase`;
  return p;
}

/** The durability figures, with the lost window relative to the first injection (or the start of the baseline when nothing was injected). */
export function durabilityFigures(s: WorkloadSummary, d: DurabilityFigures): ObjectiveVerdict['figures'] {
  const ref = s.bounds.faultStart ?? s.bounds.baselineStart;
  return {
    writes: d.writes,
    acknowledged: d.acknowledged,
    lost: d.lost,
    unknown: d.unknown,
    recovered: d.recovered,
    neverRead: d.neverRead,
    lostWindowStartMs: d.firstLostAck === null ? null : d.firstLostAck - ref,
    lostWindowEndMs: d.lastLostAck === null ? null : d.lastLostAck - ref,
    rpoMs: d.rpoMs,
  };
}

/** Why durability cannot be trusted as a pass: nothing acknowledged, or writes never read back. Null when it can. */
export function durabilityDoubt(d: DurabilityFigures): string | null {
  if (d.acknowledged === 0) return 'no write was acknowledged, so nothing was shown to be durable';
  if (d.neverRead > 0) return `${d.neverRead} of ${d.acknowledged} acknowledged writes could not be read back (${d.neverReadReason ?? 'the read failed'}), so writes may have been lost unseen`;
  return null;
}

/**
 * What durability and RPO both need before judging: the workload's read-back figures, or the
 * verdict that says why there are none (no such workload, no history, no `read`).
 */
export function readBackOf(base: Base, workloads: readonly WorkloadSummary[] | undefined, workload: string): { s: WorkloadSummary; d: DurabilityFigures } | ObjectiveVerdict {
  const s = summaryOf(workloads, workload);
  if (typeof s === 'string') return unknownVerdict(base, s);
  if (s.durability === null) return unknownVerdict(base, `workload "${workload}" has no read, so nothing was read back`);
  return { s, d: s.durability };
}
