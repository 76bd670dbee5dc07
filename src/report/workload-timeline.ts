// The per-workload SVG timeline of the HTML report: throughput per time bucket as stacked bars
// (acknowledged / errors) along the bottom, the slowest and the mean latency of each bucket as two
// lines above, fault spans and phase boundaries behind them, and lost writes marked where they
// were acknowledged, with the lost window shaded, so "what was lost, and when" reads at a glance.
import type { Journal } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import type { TimelineBucket, WorkloadSummary } from '../domain/workload-summary.js';
import { escapeXml } from './escape.js';
import { tickStep } from './timeline.js';

const W = 960;
const H = 220;
const M = { left: 56, right: 16, top: 16, bottom: 24 };
const BARS = 60;
const LAT_BOTTOM = H - M.bottom - BARS - 10;
const BAR_BOTTOM = H - M.bottom;
const PLOT_W = W - M.left - M.right;
/** More buckets than this are merged, so a long run stays a light drawing. */
const MAX_BUCKETS = 600;

const n1 = (x: number) => (Math.round(x * 10) / 10).toString();

/** Merges every `k` consecutive buckets: counts add up, the max is the max, the mean is weighted. */
function coarsen(buckets: readonly TimelineBucket[], bucketMs: number): { buckets: TimelineBucket[]; bucketMs: number } {
  const k = Math.ceil(buckets.length / MAX_BUCKETS);
  if (k <= 1) return { buckets: [...buckets], bucketMs };
  const width = bucketMs * k;
  const out = new Map<number, TimelineBucket & { weight: number }>();
  const origin = buckets[0]!.t;
  for (const b of buckets) {
    const t = origin + Math.floor((b.t - origin) / width) * width;
    const m = out.get(t) ?? { t, ok: 0, errors: 0, lost: 0, meanMs: null, maxMs: null, weight: 0 };
    const n = b.ok + b.errors;
    if (b.meanMs !== null) m.meanMs = ((m.meanMs ?? 0) * m.weight + b.meanMs * n) / Math.max(1, m.weight + n);
    m.weight += n;
    m.maxMs = b.maxMs === null ? m.maxMs : Math.max(m.maxMs ?? 0, b.maxMs);
    m.ok += b.ok;
    m.errors += b.errors;
    m.lost += b.lost;
    out.set(t, m);
  }
  return { buckets: [...out.values()].map(({ weight: _, ...b }) => b), bucketMs: width };
}

export function renderWorkloadTimeline(journal: Journal, w: WorkloadSummary): string {
  const { buckets, bucketMs } = coarsen(w.timeline.buckets, w.timeline.bucketMs);
  const t0 = Math.min(journal.startedAt, buckets[0]?.t ?? journal.startedAt);
  const t1 = Math.max(journal.endedAt, (buckets.at(-1)?.t ?? journal.endedAt) + bucketMs, t0 + 1);
  const x = (t: number) => M.left + ((t - t0) / (t1 - t0)) * PLOT_W;
  const maxMs = Math.max(1, ...buckets.map((b) => b.maxMs ?? 0));
  const y = (ms: number) => LAT_BOTTOM - (ms / (maxMs * 1.15)) * (LAT_BOTTOM - M.top);
  const maxOps = Math.max(1, ...buckets.map((b) => b.ok + b.errors));
  const barH = (n: number) => (n / maxOps) * (BARS - 4);

  const parts: string[] = [];
  parts.push(`<rect class="plot" x="${M.left}" y="${M.top}" width="${PLOT_W}" height="${BAR_BOTTOM - M.top}"/>`);
  const step = tickStep(t1 - t0);
  for (let off = 0; off <= t1 - t0; off += step) {
    const tx = n1(x(t0 + off));
    const at = off + t0 - journal.startedAt;
    parts.push(`<line class="grid" x1="${tx}" y1="${M.top}" x2="${tx}" y2="${BAR_BOTTOM}"/>`);
    parts.push(`<text class="tick" x="${tx}" y="${H - 8}" text-anchor="middle">${at === 0 ? '0s' : `+${escapeXml(formatDuration(at))}`}</text>`);
  }
  parts.push(`<text class="tick" x="${M.left - 6}" y="${n1(y(maxMs) + 4)}" text-anchor="end">${escapeXml(formatDuration(maxMs))}</text>`);
  parts.push(`<text class="tick" x="${M.left - 6}" y="${LAT_BOTTOM}" text-anchor="end">0</text>`);
  parts.push(`<text class="tick" x="${M.left - 6}" y="${BAR_BOTTOM - BARS + 10}" text-anchor="end">${maxOps}/${escapeXml(formatDuration(bucketMs))}</text>`);

  for (const f of journal.faults) {
    if (f.injectedAt === null) continue;
    const end = f.instant ? f.injectedAt : (f.revertedAt ?? t1);
    parts.push(`<rect class="fault-span${f.instant ? ' instant' : ''}" x="${n1(x(f.injectedAt))}" y="${M.top}" width="${n1(Math.max(2, x(end) - x(f.injectedAt)))}" height="${BAR_BOTTOM - M.top}"><title>${escapeXml(`${f.name} (${f.kind})`)}</title></rect>`);
  }
  for (const [label, at] of [['fault', w.bounds.faultStart], ['recovery', w.bounds.faultEnd]] as const) {
    if (at === null) continue;
    parts.push(`<line class="phase-bound" x1="${n1(x(at))}" y1="${M.top}" x2="${n1(x(at))}" y2="${BAR_BOTTOM}"><title>${label} phase starts +${escapeXml(formatDuration(at - journal.startedAt))}</title></line>`);
  }

  const d = w.durability;
  if (d && d.firstLostAck !== null && d.lastLostAck !== null) {
    const lx = x(d.firstLostAck);
    parts.push(`<rect class="lost-window" x="${n1(lx)}" y="${M.top}" width="${n1(Math.max(2, x(d.lastLostAck) - lx))}" height="${BAR_BOTTOM - M.top}"><title>${escapeXml(`lost window: ${d.lost} acknowledged writes lost, RPO ${formatDuration(d.rpoMs)}`)}</title></rect>`);
  }

  const bw = Math.max(1, (PLOT_W * bucketMs) / (t1 - t0) - 1);
  for (const b of buckets) {
    const bx = n1(x(b.t));
    const okH = barH(b.ok);
    const errH = barH(b.errors);
    const when = `+${formatDuration(b.t - journal.startedAt)}`;
    if (b.ok) parts.push(`<rect class="ops ok" x="${bx}" y="${n1(BAR_BOTTOM - okH)}" width="${n1(bw)}" height="${n1(okH)}"><title>${escapeXml(`${when}: ${b.ok} acknowledged`)}</title></rect>`);
    if (b.errors) parts.push(`<rect class="ops fail" x="${bx}" y="${n1(BAR_BOTTOM - okH - errH)}" width="${n1(bw)}" height="${n1(errH)}"><title>${escapeXml(`${when}: ${b.errors} failed, unknown or dropped`)}</title></rect>`);
    if (b.lost) parts.push(`<path class="lost-mark" d="M${n1(x(b.t) + bw / 2)} ${M.top + 10}l-5 -8h10z"><title>${escapeXml(`${when}: ${b.lost} acknowledged write${b.lost === 1 ? '' : 's'} lost`)}</title></path>`);
  }

  for (const [cls, pick] of [['latency-max', (b: TimelineBucket) => b.maxMs], ['latency-mean', (b: TimelineBucket) => b.meanMs]] as const) {
    const points = buckets.flatMap((b) => {
      const v = pick(b);
      return v === null ? [] : [`${n1(x(b.t) + bw / 2)},${n1(y(v))}`];
    });
    if (points.length > 1) parts.push(`<polyline class="${cls}" points="${points.join(' ')}"/>`);
  }

  const label = `${w.workload}: throughput and latency per ${formatDuration(bucketMs)}${d ? `, ${d.lost} lost writes` : ''}`;
  return `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(label)}"><title>${escapeXml(label)}</title>${parts.join('')}</svg>`;
}
