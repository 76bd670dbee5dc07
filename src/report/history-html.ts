// The history page: for each experiment, how its runs went over time (recovery time,
// availability, verdicts), each run linked to its own report. Self-contained like every report:
// inline CSS and SVG, no script, nothing fetched.
import type { RunStatus, VerdictStatus } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { escapeAttr, escapeXml as esc } from './escape.js';
import { STATUS_LABEL } from './format.js';
import { STYLE } from './html-style.js';

export interface HistoryRow {
  startedAt: string;
  experiment: string;
  runId: string;
  status: RunStatus;
  unclean: boolean;
  /** The longest measured recovery of the run's recovery objectives, ms; null when none was measured. */
  recoveryMs: number | null;
  /** The lowest measured availability of the run's availability objectives, %; null when none was measured. */
  availability: number | null;
  verdicts: { objective: string; status: VerdictStatus }[];
  /** The run's report.html, relative to the page. */
  report: string;
  /** The game day the run was a step of, if any. */
  scenario?: string;
}

const HISTORY_STYLE = `
.experiment{margin:28px 0}
.trend{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px;margin:8px 0 12px}
.trend figure{margin:0}
svg.spark{width:100%;height:auto;border:1px solid var(--line);border-radius:8px;background:#fff}
.spark .line{fill:none;stroke:#0969da;stroke-width:2}
.spark .dot.met{fill:var(--ok)}.spark .dot.missed{fill:var(--fail)}
.spark .none{fill:var(--muted);font-size:12px}
.spark .axis{font-size:11px;fill:var(--muted)}
`;

/** Runs in `rows` grouped by experiment (most recently run first), each group oldest run first. */
export function renderHistoryHtml(rows: readonly HistoryRow[], generatedAt: number): string {
  const groups = new Map<string, HistoryRow[]>();
  for (const r of [...rows].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) groups.set(r.experiment, [...(groups.get(r.experiment) ?? []), r]);
  const ordered = [...groups].sort((a, b) => b[1].at(-1)!.startedAt.localeCompare(a[1].at(-1)!.startedAt));
  const out = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>faultline: history</title>',
    `<style>${STYLE}${HISTORY_STYLE}</style></head><body><main>`,
    '<h1>faultline history</h1>',
    `<p class="legend">${rows.length} run${rows.length === 1 ? '' : 's'} of ${groups.size} experiment${groups.size === 1 ? '' : 's'} · written ${esc(new Date(generatedAt).toISOString())} · ✔ every objective met, ✘ not</p>`,
  ];
  if (!rows.length) out.push('<p>No runs recorded.</p>');
  for (const [name, runs] of ordered) out.push(experimentSection(name, runs));
  out.push('</main></body></html>', '');
  return out.join('\n');
}

function passed(r: HistoryRow): boolean {
  return r.status === 'completed' && !r.unclean && r.verdicts.length > 0 && r.verdicts.every((v) => v.status === 'met');
}

function experimentSection(name: string, runs: HistoryRow[]): string {
  const ok = runs.filter(passed).length;
  const recoveries = runs.map((r) => r.recoveryMs).filter((x): x is number => x !== null);
  const parts = [
    `<section class="experiment" id="${escapeAttr(`exp-${name}`)}"><h2>${esc(name)}</h2>`,
    `<p>${runs.length} run${runs.length === 1 ? '' : 's'}, ${ok} passed · latest: ${passed(runs.at(-1)!) ? '✔ passed' : '✘ failed'}${recoveries.length ? ` · recovery best ${esc(formatDuration(Math.min(...recoveries)))}, worst ${esc(formatDuration(Math.max(...recoveries)))}` : ''}</p>`,
    '<div class="trend">',
    spark('Recovery time', runs, (r) => r.recoveryMs, formatDuration),
    spark('Availability', runs, (r) => r.availability, (v) => `${Math.round(v * 100) / 100}%`),
    '</div>',
    '<table><thead><tr><th>Started (UTC)</th><th>Status</th><th>Recovery</th><th>Availability</th><th>Verdicts</th><th>Report</th></tr></thead><tbody>',
  ];
  for (const r of [...runs].reverse()) {
    const verdicts = r.verdicts.map((v) => `${STATUS_LABEL[v.status].mark} ${esc(v.objective)}`).join('<br>') || '—';
    parts.push(`<tr><td class="num">${esc(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ''))}</td><td>${passed(r) ? '✔' : '✘'} ${esc(r.status)}${r.unclean ? ', unclean' : ''}${r.scenario ? `<br><small>game day ${esc(r.scenario)}</small>` : ''}</td><td class="num">${r.recoveryMs === null ? '—' : esc(formatDuration(r.recoveryMs))}</td><td class="num">${r.availability === null ? '—' : esc(`${Math.round(r.availability * 100) / 100}%`)}</td><td>${verdicts}</td><td><a href="${escapeAttr(r.report)}">${esc(r.runId)}</a></td></tr>`);
  }
  parts.push('</tbody></table></section>');
  return parts.join('\n');
}

/** A small line chart of one figure over the runs, a dot per run marked by whether the run passed. */
function spark(title: string, runs: HistoryRow[], value: (r: HistoryRow) => number | null, label: (v: number) => string): string {
  const W = 300;
  const H = 90;
  const pad = { l: 8, r: 8, t: 16, b: 14 };
  const points = runs.map((r, i) => ({ r, i, v: value(r) })).filter((p): p is { r: HistoryRow; i: number; v: number } => p.v !== null);
  const head = `<figure><figcaption>${esc(title)} <span>over ${runs.length} run${runs.length === 1 ? '' : 's'}</span></figcaption><svg class="spark" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeAttr(`${title}: ${points.map((p) => label(p.v)).join(', ') || 'not measured'}`)}">`;
  if (!points.length) return `${head}<text class="none" x="${W / 2}" y="${H / 2}" text-anchor="middle">not measured</text></svg></figure>`;
  const lo = Math.min(...points.map((p) => p.v));
  const hi = Math.max(...points.map((p) => p.v));
  const x = (i: number) => pad.l + (runs.length === 1 ? (W - pad.l - pad.r) / 2 : (i / (runs.length - 1)) * (W - pad.l - pad.r));
  const y = (v: number) => (hi === lo ? (H - pad.b + pad.t) / 2 : H - pad.b - ((v - lo) / (hi - lo)) * (H - pad.t - pad.b));
  const n = (v: number) => (Math.round(v * 10) / 10).toString();
  return [
    head,
    `<polyline class="line" points="${points.map((p) => `${n(x(p.i))},${n(y(p.v))}`).join(' ')}"/>`,
    ...points.map((p) => `<circle class="dot ${passed(p.r) ? 'met' : 'missed'}" cx="${n(x(p.i))}" cy="${n(y(p.v))}" r="4"><title>${esc(`${p.r.startedAt}: ${label(p.v)}, ${passed(p.r) ? 'passed' : 'failed'}`)}</title></circle>`),
    `<text class="axis" x="${pad.l}" y="11">max ${esc(label(hi))}</text><text class="axis" x="${W - pad.r}" y="11" text-anchor="end">min ${esc(label(lo))}</text>`,
    '</svg></figure>',
  ].join('');
}
