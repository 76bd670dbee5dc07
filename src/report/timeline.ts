// The per-probe SVG timeline of the HTML report: fault spans shaded behind the samples, a strip of
// one bar per sample (ok / failing), and the latency of successful samples as a line that breaks
// wherever the probe failed, so an outage reads as a gap at a glance.
import type { Journal, Sample } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import type { Marker } from './detection-markers.js';
import { logbookOf } from '../domain/logbook.js';
import { escapeXml } from './escape.js';
import { logbookGlyph, logbookText } from './logbook.js';

const W = 960;
const H = 170;
const M = { left: 56, right: 16, top: 30, bottom: 24 };
const STRIP = 12;
const PLOT_BOTTOM = H - M.bottom - STRIP - 6;
const PLOT_W = W - M.left - M.right;

const n1 = (x: number) => (Math.round(x * 10) / 10).toString();

/** A tick step giving at most ~10 ticks, on round numbers of seconds or minutes. */
export function tickStep(spanMs: number): number {
  const steps = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];
  return steps.find((s) => spanMs / s <= 10) ?? Math.ceil(spanMs / 10 / 3_600_000) * 3_600_000;
}

/** `markers`: broken / noticed / recovered instants, drawn as labelled vertical lines across the plot. */
export function renderTimeline(journal: Journal, probe: string, samples: readonly Sample[], markers: readonly Marker[] = []): string {
  const ordered = [...samples].sort((a, b) => a.t - b.t);
  const t0 = Math.min(journal.startedAt, ordered[0]?.t ?? journal.startedAt);
  const t1 = Math.max(journal.endedAt, (ordered.at(-1)?.t ?? journal.endedAt) + 1, t0 + 1);
  const x = (t: number) => M.left + ((t - t0) / (t1 - t0)) * PLOT_W;

  const okMs = ordered.filter((s) => s.ok).map((s) => s.ms);
  const bounds = journal.verdicts.filter((v) => v.kind === 'latency' && v.probe === probe);
  const maxMs = Math.max(1, ...okMs, ...bounds.map((v) => v.bound));
  // Headroom above the slowest sample keeps the line off the frame.
  const scale = maxMs * 1.15;
  const y = (ms: number) => PLOT_BOTTOM - (Math.min(ms, scale) / scale) * (PLOT_BOTTOM - M.top);

  const parts: string[] = [];
  parts.push(`<rect class="plot" x="${M.left}" y="${M.top}" width="${PLOT_W}" height="${PLOT_BOTTOM - M.top}"/>`);

  const step = tickStep(t1 - t0);
  for (let off = 0; off <= t1 - t0; off += step) {
    const tx = n1(x(t0 + off));
    parts.push(`<line class="grid" x1="${tx}" y1="${M.top}" x2="${tx}" y2="${H - M.bottom}"/>`);
    const at = off + t0 - journal.startedAt;
    parts.push(`<text class="tick" x="${tx}" y="${H - 8}" text-anchor="middle">${at === 0 ? '0s' : `+${escapeXml(formatDuration(at))}`}</text>`);
  }
  parts.push(`<text class="tick" x="${M.left - 6}" y="${n1(y(maxMs) + 4)}" text-anchor="end">${escapeXml(formatDuration(maxMs))}</text>`);
  parts.push(`<text class="tick" x="${M.left - 6}" y="${PLOT_BOTTOM}" text-anchor="end">0</text>`);
  parts.push(`<text class="tick" x="${M.left - 6}" y="${PLOT_BOTTOM + STRIP + 4}" text-anchor="end">ok</text>`);

  // A fault without an end is still in place at the end of the run: shade to the right edge.
  // Labels alternate between two rows so that faults injected close together stay readable.
  let row = 0;
  for (const f of journal.faults) {
    if (f.injectedAt === null) continue;
    const labelY = M.top - 6 - (row++ % 2) * 12;
    const x1 = x(f.injectedAt);
    const end = f.instant ? null : (f.revertedAt ?? t1);
    const width = end === null ? 2 : Math.max(2, x(end) - x1);
    const cls = f.instant ? 'fault-span instant' : f.revertedAt === null ? 'fault-span open' : 'fault-span';
    const when = `injected +${formatDuration(f.injectedAt - journal.startedAt)}${f.instant ? '' : f.revertedAt === null ? ', never reverted' : `, reverted +${formatDuration(f.revertedAt - journal.startedAt)}`}`;
    parts.push(
      `<g><title>${escapeXml(`${f.name} (${f.kind}): ${when}`)}</title>` +
        `<rect class="${cls}" x="${n1(x1)}" y="${M.top}" width="${n1(width)}" height="${PLOT_BOTTOM + 6 + STRIP - M.top}"/>` +
        `<text class="fault-label" x="${n1(x1 + 3)}" y="${labelY}">${escapeXml(`${f.name} · ${f.kind}`)}</text></g>`,
    );
  }

  // The logbook: what people noticed, where it happened on the same axis.
  for (const e of logbookOf(journal)) {
    const lx = n1(x(e.t));
    parts.push(
      `<g class="logbook-mark ${e.type}"><title>${escapeXml(`${logbookText(e)} (+${formatDuration(e.t - journal.startedAt)})`)}</title>` +
        `<line class="logbook-line" x1="${lx}" y1="${M.top}" x2="${lx}" y2="${PLOT_BOTTOM + 6 + STRIP}"/>` +
        `<text class="logbook-glyph" x="${lx}" y="${M.top + 14}" text-anchor="middle">${logbookGlyph(e)}</text></g>`,
    );
  }

  for (const v of bounds) {
    const ty = n1(y(v.bound));
    parts.push(`<line class="bound" x1="${M.left}" y1="${ty}" x2="${W - M.right}" y2="${ty}"><title>${escapeXml(v.objective)}</title></line>`);
  }

  markers.forEach((m, i) => {
    const mx = n1(x(m.t));
    const when = `+${formatDuration(Math.max(0, m.t - journal.startedAt))}`;
    parts.push(
      `<g class="marker ${m.kind}"><title>${escapeXml(`${m.kind} ${when}: ${m.label}`)}</title>` +
        `<line x1="${mx}" y1="${M.top}" x2="${mx}" y2="${PLOT_BOTTOM + 6 + STRIP}"/>` +
        `<text x="${n1(x(m.t) + 3)}" y="${M.top + 10 + (i % 3) * 11}">${escapeXml(m.kind)}</text></g>`,
    );
  });

  const bar = Math.max(1, Math.min(8, (PLOT_W / Math.max(1, ordered.length)) * 0.8));
  for (const s of ordered) {
    parts.push(`<rect class="sample ${s.ok ? 'ok' : 'fail'}" x="${n1(x(s.t) - bar / 2)}" y="${PLOT_BOTTOM + 6}" width="${n1(bar)}" height="${STRIP}"/>`);
  }

  let run: string[] = [];
  const flush = () => {
    if (run.length === 1) parts.push(`<circle class="latency-dot" cx="${run[0]!.split(',')[0]}" cy="${run[0]!.split(',')[1]}" r="1.8"/>`);
    if (run.length > 1) parts.push(`<polyline class="latency" points="${run.join(' ')}"/>`);
    run = [];
  };
  for (const s of ordered) {
    if (!s.ok) flush();
    else run.push(`${n1(x(s.t))},${n1(y(s.ms))}`);
  }
  flush();

  const failed = ordered.filter((s) => !s.ok).length;
  const label = `${probe}: ${ordered.length} samples, ${failed} failing`;
  return `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(label)}"><title>${escapeXml(label)}</title>${parts.join('')}</svg>`;
}
