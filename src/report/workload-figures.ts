// Workload figures as text, shared by every renderer: the per-phase table's cells, the durability
// line, and RPO beside RTO. Renderers only lay these out.
import type { Journal } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import type { DurabilityFigures, PhaseStats, WorkloadSummary } from '../domain/workload-summary.js';
import { formatPercent } from '../slo/describe.js';
import { statusOf } from './format.js';

export const PHASE_COLUMNS = ['Phase', 'Operations', 'Throughput', 'Error rate', 'p50', 'p99', 'max'] as const;

const ms = (v: number | null) => (v === null ? '—' : formatDuration(v));

/** One row per phase: baseline, fault, recovery, run. A phase that did not happen says so. */
export function phaseRows(w: WorkloadSummary): string[][] {
  return w.phases.map((p: PhaseStats) => {
    if (p.start === null) return [p.phase, 'did not happen', '—', '—', '—', '—', '—'];
    return [
      p.phase,
      String(p.operations),
      p.throughput === null ? '—' : `${Number(p.throughput.toFixed(1))}/s`,
      p.errorRate === null ? '—' : formatPercent(p.errorRate),
      ms(p.p50),
      ms(p.p99),
      ms(p.max),
    ];
  });
}

/** "acknowledged 1200 · lost 3 · unknown 4 · recovered 1 · never read 0". */
export function durabilityLine(d: DurabilityFigures): string {
  return `acknowledged ${d.acknowledged} · lost ${d.lost} · unknown ${d.unknown} · recovered ${d.recovered} · never read ${d.neverRead}`;
}

/** Signed offset of an acknowledgement from the first injection (or the baseline's start). */
export function fromInjection(w: WorkloadSummary, t: number): string {
  const d = t - (w.bounds.faultStart ?? w.bounds.baselineStart);
  return `${d < 0 ? '-' : '+'}${formatDuration(Math.abs(d))}`;
}

/** "lost window +1.20s..+3.45s from the first injection, RPO 2.25s" or null when nothing was lost. */
export function lostWindowLine(w: WorkloadSummary, d: DurabilityFigures): string | null {
  if (d.firstLostAck === null || d.lastLostAck === null) return null;
  const from = w.bounds.faultStart === null ? 'from the start of the baseline' : 'from the first injection';
  return `lost window ${fromInjection(w, d.firstLostAck)}..${fromInjection(w, d.lastLostAck)} ${from}, RPO ${formatDuration(d.rpoMs)}`;
}

export interface RecoveryFigures {
  /** Per workload with a read-back: the span of time whose acknowledged writes were lost. */
  rpo: { workload: string; ms: number; judged: boolean }[];
  /** Per recovery objective: how long until the probe was healthy again (null: it was not). */
  rto: { objective: string; ms: number | null }[];
}

/** RPO and RTO side by side: data lost vs time lost. RPO is not judged when a write went unread. */
export function recoveryFigures(j: Journal): RecoveryFigures {
  return {
    rpo: (j.workloads ?? []).flatMap((w) => (w.durability ? [{ workload: w.workload, ms: w.durability.rpoMs, judged: w.durability.neverRead === 0 && w.durability.acknowledged > 0 }] : [])),
    rto: j.verdicts.filter((v) => v.kind === 'recovery').map((v) => ({ objective: v.objective, ms: statusOf(v) === 'unknown' ? null : v.measured })),
  };
}

/** "RPO orders 2.25s · RTO writes recovers within 10s: 1.42s", or null without a workload that read its writes back (RTO alone is in the verdicts). */
export function recoveryLine(j: Journal): string | null {
  const { rpo, rto } = recoveryFigures(j);
  if (!rpo.length) return null;
  const parts = [
    ...rpo.map((r) => `RPO ${r.workload} ${formatDuration(r.ms)}${r.judged ? '' : ' (not all writes read back)'}`),
    ...rto.map((r) => `RTO ${r.objective}: ${r.ms === null ? 'not recovered' : formatDuration(r.ms)}`),
  ];
  return parts.join(' · ');
}
