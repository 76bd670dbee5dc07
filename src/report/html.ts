// A single-file HTML report for game-day facilitators: verdicts first, then what happened over
// time. Everything is inline (CSS, SVG) and there is no script, so it can be mailed or archived.
import type { Journal, JsonValue, ObjectiveVerdict, Sample } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { escapeXml as esc } from './escape.js';
import { STATUS_LABEL, failureReasons, faultTargets, measuredText, outcome, runDuration, shortOffset, statusOf, boundText } from './format.js';
import { STYLE } from './html-style.js';
import { formatEvent } from './text.js';
import { renderLogbookHtml } from './logbook.js';
import { renderTimeline } from './timeline.js';
import { detectionLine, detectionMarkers } from './detection-markers.js';
import { PHASE_COLUMNS, durabilityLine, fromInjection, lostWindowLine, phaseRows, recoveryFigures } from './workload-figures.js';
import { renderWorkloadTimeline } from './workload-timeline.js';
import type { WorkloadSummary } from '../domain/workload-summary.js';

/** Figures named like durations ("outageMs", "p99", "max") are shown as durations, the rest as counts. */
function figureText(key: string, value: number | null): string {
  if (value === null) return '—';
  if (/Ms$|^p\d+$|^max$/.test(key)) return key.startsWith('lostWindow') && value > 0 ? `+${formatDuration(value)}` : formatDuration(value);
  return String(Math.round(value * 1000) / 1000);
}

export function card(v: ObjectiveVerdict): string {
  const figures = Object.entries(v.figures)
    .map(([k, n]) => `<dt>${esc(k)}</dt><dd>${esc(figureText(k, n))}</dd>`)
    .join('');
  const status = statusOf(v);
  const lost = v.lostSample?.length ? `<p class="lost-keys">lost e.g. ${v.lostSample.slice(0, 5).map((l) => `<code>${esc(l.key)}</code>`).join(', ')}</p>` : '';
  return [
    `<article class="card ${status}">`,
    `<h3>${STATUS_LABEL[status].mark} ${esc(v.objective)}</h3>`,
    `<div class="big">${esc(measuredText(v))} <small>target ${esc(boundText(v))}${status === 'unknown' ? ' · not judged' : status === 'partial' ? ` · partial, so far ${v.sofar ?? 'missed'}` : ''}</small></div>`,
    `<p>${esc(v.detail)}</p>`,
    figures ? `<dl>${figures}</dl>` : '',
    lost,
    '</article>',
  ].join('');
}

function metaText(meta: Record<string, JsonValue>): string {
  return Object.entries(meta)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** Probes in order of first sample, then any that objectives name but that never produced one. */
export function probes(journal: Journal): Map<string, Sample[]> {
  const byProbe = new Map<string, Sample[]>();
  for (const s of [...journal.samples].sort((a, b) => a.t - b.t)) {
    const list = byProbe.get(s.probe) ?? [];
    list.push(s);
    byProbe.set(s.probe, list);
  }
  for (const v of journal.verdicts) if (v.probe !== undefined && !byProbe.has(v.probe)) byProbe.set(v.probe, []);
  return byProbe;
}

export function reasonList(samples: readonly Sample[]): string {
  const rows = failureReasons(samples);
  return rows.length ? `<ul class="reasons">${rows.map(([why, n]) => `<li><b>${n}×</b> ${esc(why)}</li>`).join('')}</ul>` : '';
}

export function renderHtml(journal: Journal): string {
  const o = outcome(journal);
  const status = o.passed ? 'passed' : 'failed';
  const started = new Date(journal.startedAt).toISOString();
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`faultline: ${journal.experiment.name} ${status}`)}</title>`,
    `<style>${STYLE}</style></head><body><main>`,
    `<header class="${status}">`,
    `<h1>${esc(journal.experiment.name)} <span class="verdict">${o.passed ? 'PASSED' : 'FAILED'}</span></h1>`,
    journal.experiment.description ? `<p class="meta">${esc(journal.experiment.description)}</p>` : '',
    `<p class="meta">status <b>${esc(journal.status)}</b> · run <code>${esc(journal.runId)}</code> · seed <code>${esc(journal.seed)}</code> · ${esc(journal.driver)} · started ${esc(started)} · ${esc(runDuration(journal))}</p>`,
    `<div class="badges">${journal.verdicts.map((v) => `<span class="badge ${statusOf(v)}">${STATUS_LABEL[statusOf(v)].mark} ${esc(v.objective)}</span>`).join('')}</div>`,
    o.problems.length ? `<ul class="problems">${o.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : '',
    '</header>',
    ...(journal.notices ?? []).map((n) => `<section class="warning notice"><b>⚠ Notice.</b> ${esc(n)}</section>`),
  ];

  if (journal.unclean || journal.leftovers.length) {
    const items = journal.leftovers.length ? journal.leftovers : ['unknown: see the journal'];
    out.push(`<section class="warning"><b>⚠ The run was not cleaned up.</b> What may be left behind:<ul>${items.map((l) => `<li><code>${esc(l)}</code></li>`).join('')}</ul></section>`);
  }

  out.push('<h2>Timeline</h2>');
  out.push('<p class="legend"><i style="background:var(--ok)"></i>sample passed<i style="background:var(--fail)"></i>sample failed<i style="background:#0969da"></i>latency of passing samples<i style="background:var(--fault);opacity:.5"></i>fault in place</p>');
  const byProbe = probes(journal);
  const markers = detectionMarkers(journal);
  const detection = detectionLine(journal);
  if (detection) out.push(`<p class="detection"><b>Broken → noticed → recovered:</b> ${esc(detection)} <span class="legend"><i style="background:#8250df"></i>noticed: the alert seen firing<i style="background:var(--ok)"></i>recovered / resolved</span></p>`);
  if (byProbe.size === 0 && markers.length) out.push(`<figure><figcaption>detection <span>no probe samples</span></figcaption>${renderTimeline(journal, 'detection', [], markers)}</figure>`);
  else if (byProbe.size === 0) out.push('<p>No probe samples were recorded.</p>');
  for (const [probe, samples] of byProbe) {
    const failed = samples.filter((s) => !s.ok).length;
    out.push(`<figure><figcaption>${esc(probe)} <span>${samples.length} samples, ${failed} failed</span></figcaption>${renderTimeline(journal, probe, samples, markers)}${reasonList(samples)}</figure>`);
  }

  out.push(renderLogbookHtml(journal));
  out.push(...workloadSections(journal));

  out.push('<h2>Objectives</h2>');
  out.push(journal.verdicts.length ? `<div class="cards">${journal.verdicts.map(card).join('')}</div>` : '<p>No objectives.</p>');
  out.push(rpoRto(journal));

  out.push('<h2>Faults</h2>');
  if (journal.faults.length) {
    const targets = faultTargets(journal);
    out.push('<table><thead><tr><th>Fault</th><th>Kind</th><th>Targets</th><th>Injected</th><th>Reverted</th></tr></thead><tbody>');
    for (const f of journal.faults) {
      const reverted = f.instant ? 'instant' : f.injectedAt !== null && f.revertedAt === null ? '<span class="bad">never</span>' : esc(shortOffset(f.revertedAt, journal.startedAt));
      out.push(`<tr><td>${esc(f.name)}</td><td>${esc(f.kind)}</td><td>${esc((targets.get(f.name) ?? []).join(', ') || '—')}</td><td class="num">${esc(shortOffset(f.injectedAt, journal.startedAt))}</td><td class="num">${reverted}</td></tr>`);
    }
    out.push('</tbody></table>');
  } else {
    out.push('<p>No faults.</p>');
  }

  out.push('<h2>Targets</h2>');
  if (journal.targets.length) {
    out.push('<table><thead><tr><th>Group</th><th>Name</th><th>Id</th><th>Details</th></tr></thead><tbody>');
    for (const t of journal.targets) out.push(`<tr><td>${esc(t.group)}</td><td>${esc(t.name)}</td><td><code>${esc(t.id)}</code></td><td>${esc(metaText(t.meta))}</td></tr>`);
    out.push('</tbody></table>');
  } else {
    out.push('<p>No targets were selected.</p>');
  }

  out.push(`<details><summary>Events (${journal.events.length})</summary><pre>${esc(journal.events.map((e) => formatEvent(e, journal.startedAt)).join('\n'))}</pre></details>`);
  out.push(`<footer>faultline ${esc(journal.faultlineVersion)} · journal schema ${journal.schemaVersion}${journal.experiment.file ? ` · ${esc(journal.experiment.file)}` : ''}</footer>`);
  out.push('</main></body></html>', '');
  return out.filter(Boolean).join('\n');
}

/** RPO (data lost) beside RTO (time lost): the two numbers an outage review asks for first. */
function rpoRto(journal: Journal): string {
  const { rpo, rto } = recoveryFigures(journal);
  if (!rpo.length) return '';
  const rpoItems = rpo.map((r) => `<div class="big">${esc(formatDuration(r.ms))}</div><p>${esc(r.workload)}${r.judged ? '' : ' · not all acknowledged writes were read back'}</p>`);
  const rtoItems = rto.map((r) => `<div class="big">${esc(r.ms === null ? 'not recovered' : formatDuration(r.ms))}</div><p>${esc(r.objective)}</p>`);
  return [
    '<h2>Recovery point and recovery time</h2><section class="rpo-rto">',
    `<div><b>RPO</b>: the span of acknowledged writes lost${rpoItems.join('')}</div>`,
    `<div><b>RTO</b>: time until the service was healthy again${rtoItems.join('') || '<p>no recovery objective</p>'}</div>`,
    '</section>',
  ].join('');
}

function durabilityBlock(w: WorkloadSummary): string {
  const d = w.durability;
  if (!d) return '<p>No read-back: this workload has no <code>read</code>, so durability was not checked.</p>';
  const window = lostWindowLine(w, d);
  const rows = d.lostSample.map((l) => `<tr><td><code>${esc(l.key)}</code></td><td class="num">${esc(fromInjection(w, l.ackAt))}</td></tr>`).join('');
  return [
    `<p><b>Durability</b>: ${esc(durabilityLine(d))}</p>`,
    window ? `<p class="bad">${esc(window)}</p>` : '',
    d.neverRead ? `<p class="bad">${d.neverRead} acknowledged write${d.neverRead === 1 ? '' : 's'} could not be read back: ${esc(d.neverReadReason ?? 'unknown reason')}</p>` : '',
    rows ? `<details><summary>Lost writes (${d.lostSample.length} of ${d.lost} shown)</summary><table><thead><tr><th>Key</th><th>Acknowledged</th></tr></thead><tbody>${rows}</tbody></table></details>` : '',
  ].join('');
}

function workloadSections(journal: Journal): string[] {
  const workloads = journal.workloads ?? [];
  if (!workloads.length) return [];
  const out = ['<h2>Workloads</h2>', '<p class="legend"><i style="background:var(--ok)"></i>acknowledged<i style="background:var(--fail)"></i>failed, unknown or dropped<i style="background:#0969da"></i>latency from the scheduled start (solid: max, dashed: mean)<i style="background:var(--fail);opacity:.3"></i>lost window, ▼ lost writes by acknowledgement</p>'];
  for (const w of workloads) {
    const head = `<tr>${PHASE_COLUMNS.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
    const body = phaseRows(w).map((r) => `<tr>${r.map((c, i) => `<td${i ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('');
    out.push(`<figure><figcaption>${esc(w.workload)}${w.history ? ` <span>${esc(w.history)}</span>` : ''}</figcaption>${renderWorkloadTimeline(journal, w)}</figure>`);
    out.push(`<table><thead>${head}</thead><tbody>${body}</tbody></table>`, durabilityBlock(w));
  }
  return out;
}
