// Wording shared by every renderer, so the terminal, CI summaries and the HTML report agree.
import type { Journal, ObjectiveVerdict, Sample, VerdictStatus } from '../domain/model.js';
import { NOTHING_JUDGED, nothingJudged } from '../domain/nothing-judged.js';
import { formatDuration } from '../domain/units.js';
import { formatPercent } from '../slo/describe.js';

export function formatValue(value: number, unit: ObjectiveVerdict['unit']): string {
  if (unit === 'writes') return `${value} lost`;
  if (unit === 'targets') return `${value} target${value === 1 ? '' : 's'}`;
  return unit === '%' ? formatPercent(value) : formatDuration(value);
}

/** A verdict's status; journals written before verdicts had one only say met or not. */
export function statusOf(v: ObjectiveVerdict): VerdictStatus {
  return v.status ?? (v.met ? 'met' : 'missed');
}

/** The result column's words, the same in every renderer. */
export const STATUS_LABEL: Record<VerdictStatus, { mark: string; word: string }> = {
  met: { mark: '✔', word: 'PASS' },
  missed: { mark: '✘', word: 'FAIL' },
  unknown: { mark: '?', word: 'UNKNOWN' },
  partial: { mark: '~', word: 'PARTIAL' },
};

/** "1.42s", "99.5%", or "—" when nothing could be measured. */
export function measuredText(v: ObjectiveVerdict): string {
  return v.measured === null ? '—' : formatValue(v.measured, v.unit);
}

/** "<= 10s" or ">= 95%": availability is a floor, the others are ceilings. */
export function boundText(v: ObjectiveVerdict): string {
  return `${v.comparison ?? (v.kind === 'availability' ? '>=' : '<=')} ${formatValue(v.bound, v.unit)}`;
}

/** "+1.234s" from the start of the run. */
export function offset(t: number, startedAt: number): string {
  const s = (t - startedAt) / 1000;
  return `${s < 0 ? '-' : '+'}${Math.abs(s).toFixed(3)}s`;
}

/** A shorter offset for tables: "+5.2s". */
export function shortOffset(t: number | null, startedAt: number): string {
  if (t === null) return '—';
  const s = (t - startedAt) / 1000;
  return `${s < 0 ? '-' : '+'}${Math.abs(s).toFixed(1)}s`;
}

export interface Outcome {
  passed: boolean;
  missed: number;
  /** Objectives that could not be judged: never a pass. */
  unknown: number;
  /** Objectives judged only on the data of a run cut short: never a pass. */
  partial: number;
  /** Why it did not pass, one phrase per reason; empty when it passed. */
  problems: string[];
}

/**
 * A run passes only if it completed, nothing deviated, every objective was met and nothing was
 * left behind: a green report over leftovers would hide the one thing someone must act on.
 */
export function outcome(j: Journal): Outcome {
  const unknown = j.verdicts.filter((v) => statusOf(v) === 'unknown').length;
  const missed = j.verdicts.filter((v) => statusOf(v) === 'missed').length;
  const partial = j.verdicts.filter((v) => statusOf(v) === 'partial').length;
  const problems: string[] = [];
  if (j.status !== 'completed') problems.push(`run ${j.status}${j.reason ? `: ${j.reason}` : ''}`);
  if (missed) problems.push(`${missed} of ${j.verdicts.length} objectives missed`);
  if (partial) problems.push(`${partial} of ${j.verdicts.length} objectives judged on partial data`);
  if (unknown) problems.push(`${unknown} of ${j.verdicts.length} objectives could not be judged`);
  if (j.deviated && !missed && !unknown && !partial) problems.push('the system deviated from its steady state');
  if (nothingJudged(j)) problems.push(NOTHING_JUDGED);
  if (j.unclean) problems.push('the run was not cleaned up');
  return { passed: problems.length === 0, missed, unknown, partial, problems };
}

/** Why the run itself is a failure (as opposed to a missed objective), or null when it is not. */
export function runProblem(j: Journal): string | null {
  if (j.status === 'completed' && !j.unclean) return null;
  const parts: string[] = [];
  if (j.status !== 'completed') parts.push(`run ${j.status}${j.reason ? `: ${j.reason}` : ''}`);
  if (j.unclean) parts.push(`unclean: ${j.leftovers.length ? j.leftovers.join('; ') : 'something may be left behind'}`);
  return parts.join('; ');
}

/** The targets each fault was injected into, from the journal's inject events. */
export function faultTargets(j: Journal): Map<string, string[]> {
  const byFault = new Map<string, string[]>();
  for (const e of j.events) {
    if (e.type !== 'inject') continue;
    const list = byFault.get(e.fault) ?? [];
    if (!list.includes(e.target)) list.push(e.target);
    byFault.set(e.fault, list);
  }
  return byFault;
}

export function runDuration(j: Journal): string {
  return formatDuration(Math.max(0, j.endedAt - j.startedAt));
}

/** Why samples failed, most frequent first: the answer to "what did users see?". */
export function failureReasons(samples: readonly Sample[], limit = 5): [reason: string, count: number][] {
  const counts = new Map<string, number>();
  for (const x of samples) if (!x.ok) counts.set(x.error ?? 'failed', (counts.get(x.error ?? 'failed') ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit);
}
