// A single-file HTML report for game-day facilitators: verdicts first, then what happened over
// time. Everything is inline (CSS, SVG) and there is no script, so it can be mailed or archived.
import type { Journal, JsonValue, ObjectiveVerdict, Sample } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { escapeXml as esc } from './escape.js';
import { failureReasons, faultTargets, measuredText, outcome, runDuration, shortOffset, targetText } from './format.js';
import { STYLE } from './html-style.js';
import { formatEvent } from './text.js';
import { renderTimeline } from './timeline.js';

/** Figures named like durations ("outageMs", "p99", "max") are shown as durations, the rest as counts. */
function figureText(key: string, value: number | null): string {
  if (value === null) return '—';
  if (/Ms$|^p\d+$|^max$/.test(key)) return formatDuration(value);
  return String(Math.round(value * 1000) / 1000);
}

function card(v: ObjectiveVerdict): string {
  const figures = Object.entries(v.figures)
    .map(([k, n]) => `<dt>${esc(k)}</dt><dd>${esc(figureText(k, n))}</dd>`)
    .join('');
  return [
    `<article class="card ${v.met ? 'met' : 'missed'}">`,
    `<h3>${v.met ? '✔' : '✘'} ${esc(v.objective)}</h3>`,
    `<div class="big">${esc(measuredText(v))} <small>target ${esc(targetText(v))}</small></div>`,
    `<p>${esc(v.detail)}</p>`,
    figures ? `<dl>${figures}</dl>` : '',
    '</article>',
  ].join('');
}

function metaText(meta: Record<string, JsonValue>): string {
  return Object.entries(meta)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** Probes in order of first sample, then any that objectives name but that never produced one. */
function probes(journal: Journal): Map<string, Sample[]> {
  const byProbe = new Map<string, Sample[]>();
  for (const s of [...journal.samples].sort((a, b) => a.t - b.t)) {
    const list = byProbe.get(s.probe) ?? [];
    list.push(s);
    byProbe.set(s.probe, list);
  }
  for (const v of journal.verdicts) if (v.probe !== undefined && !byProbe.has(v.probe)) byProbe.set(v.probe, []);
  return byProbe;
}

function reasonList(samples: readonly Sample[]): string {
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
    `<div class="badges">${journal.verdicts.map((v) => `<span class="badge ${v.met ? 'met' : 'missed'}">${v.met ? '✔' : '✘'} ${esc(v.objective)}</span>`).join('')}</div>`,
    o.problems.length ? `<ul class="problems">${o.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : '',
    '</header>',
  ];

  if (journal.unclean || journal.leftovers.length) {
    const items = journal.leftovers.length ? journal.leftovers : ['unknown: see the journal'];
    out.push(`<section class="warning"><b>⚠ The run was not cleaned up.</b> What may be left behind:<ul>${items.map((l) => `<li><code>${esc(l)}</code></li>`).join('')}</ul></section>`);
  }

  out.push('<h2>Timeline</h2>');
  out.push('<p class="legend"><i style="background:var(--ok)"></i>sample passed<i style="background:var(--fail)"></i>sample failed<i style="background:#0969da"></i>latency of passing samples<i style="background:var(--fault);opacity:.5"></i>fault in place</p>');
  const byProbe = probes(journal);
  if (byProbe.size === 0) out.push('<p>No probe samples were recorded.</p>');
  for (const [probe, samples] of byProbe) {
    const failed = samples.filter((s) => !s.ok).length;
    out.push(`<figure><figcaption>${esc(probe)} <span>${samples.length} samples, ${failed} failed</span></figcaption>${renderTimeline(journal, probe, samples)}${reasonList(samples)}</figure>`);
  }

  out.push('<h2>Objectives</h2>');
  out.push(journal.verdicts.length ? `<div class="cards">${journal.verdicts.map(card).join('')}</div>` : '<p>No objectives.</p>');

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
