// One page for a whole game day: the scenario's outcome, every step in order (gates with their
// prompts and how long the room talked, waits with how long recovery took, the notes made there) and, for each
// experiment step, its timelines and verdicts, linking to the step's own full report. Inline CSS
// and SVG, no script: it can be mailed or archived like a run's report.
import type { Journal } from '../domain/model.js';
import type { ScenarioLogbookEntry, ScenarioReport, ScenarioStepRecord } from '../domain/scenario-journal.js';
import { formatDuration } from '../domain/units.js';
import { escapeAttr, escapeXml as esc } from './escape.js';
import { STATUS_LABEL, outcome, statusOf } from './format.js';
import { STYLE } from './html-style.js';
import { card, probes, reasonList } from './html.js';
import { logbookGlyph, logbookText } from './logbook.js';
import { renderTimeline } from './timeline.js';

const STEP_STYLE = `
.step{border:1px solid var(--line);border-radius:10px;padding:4px 18px 12px;margin:18px 0}
.step h2{border:0;margin-top:12px}
.step .meta{color:var(--muted);font-size:14px;margin:0 0 10px}
.step.gate,.step.wait{background:var(--bg)}
.outcome{font-weight:700}
.outcome.good{color:var(--ok)}.outcome.bad{color:var(--fail)}.outcome.none{color:var(--muted)}
`;

/** True when the game day ran every step and every experiment met every objective. */
export function scenarioPassed(r: ScenarioReport): boolean {
  return r.scenario.status === 'completed' && r.scenario.exitCode === 0;
}

export function renderScenarioHtml(r: ScenarioReport): string {
  const s = r.scenario;
  const passed = scenarioPassed(r);
  const out = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`faultline game day: ${s.scenario.name} ${passed ? 'passed' : 'failed'}`)}</title>`,
    `<style>${STYLE}${STEP_STYLE}</style></head><body><main>`,
    `<header class="${passed ? 'passed' : 'failed'}">`,
    `<h1>Game day: ${esc(s.scenario.name)} <span class="verdict">${passed ? 'PASSED' : 'FAILED'}</span></h1>`,
    s.scenario.description ? `<p class="meta">${esc(s.scenario.description)}</p>` : '',
    `<p class="meta">status <b>${esc(s.status)}</b>${s.reason ? ` (${esc(s.reason)})` : ''} · run <code>${esc(s.runId)}</code> · seed <code>${esc(s.seed)}</code> · started ${esc(new Date(s.startedAt).toISOString())}${s.endedAt !== null ? ` · ${esc(formatDuration(s.endedAt - s.startedAt))}` : ''} · exit ${s.exitCode ?? '—'}</p>`,
    '</header>',
    '<h2>Steps</h2>',
    '<table><thead><tr><th>Step</th><th>What</th><th>Started</th><th>Took</th><th>Outcome</th></tr></thead><tbody>',
    ...s.steps.map((step) => `<tr><td>${esc(step.label)}</td><td>${esc(what(step))}</td><td class="num">${esc(clockTime(step.startedAt))}</td><td class="num">${esc(took(step))}</td><td>${outcomeHtml(step, r.journals[step.label])}</td></tr>`),
    '</tbody></table>',
  ];
  for (const step of s.steps) out.push(stepSection(step, r.journals[step.label], (r.between ?? []).filter((e) => e.step === step.label)));
  out.push(`<footer>faultline ${esc(s.faultlineVersion)} · ${esc(s.scenario.file)}</footer>`, '</main></body></html>', '');
  return out.filter(Boolean).join('\n');
}

function what(step: ScenarioStepRecord): string {
  if (step.kind === 'gate') return `manual gate${step.prompt ? `: ${step.prompt}` : ''}`;
  if (step.kind === 'wait') return `wait until ${step.probe} (of ${step.of}) has recovered, at most ${formatDuration(step.atMost)}`;
  return `experiment ${step.experiment} (${step.file})${step.picked ? `, picked from ${step.picked.from}` : ''}`;
}

/** Wall-clock time, UTC: people compare it with their dashboards and chat logs. */
export function clockTime(t: number | undefined): string {
  return t === undefined ? '—' : `${new Date(t).toISOString().slice(11, 19)}Z`;
}

function took(step: ScenarioStepRecord): string {
  return step.startedAt !== undefined && step.endedAt !== undefined ? formatDuration(Math.round(step.endedAt - step.startedAt)) : '—';
}

/** The outcome in words and a mark, never in colour alone. */
function outcomeHtml(step: ScenarioStepRecord, journal: Journal | undefined): string {
  const [cls, text] = outcomeOf(step, journal);
  return `<span class="outcome ${cls}">${esc(text)}</span>`;
}

export function outcomeOf(step: ScenarioStepRecord, journal: Journal | undefined): ['good' | 'bad' | 'none', string] {
  if (step.outcome === 'not-started') return ['none', '– not started'];
  if (step.kind === 'gate') return step.outcome === 'advanced' ? ['good', `✔ advanced${step.by ? ` (${step.by})` : ''}`] : ['bad', '✘ stopped here'];
  if (step.kind === 'wait') {
    if (step.outcome === 'recovered') return ['good', `✔ recovered after ${formatDuration(step.recoveredAfterMs ?? 0)}`];
    return ['bad', step.outcome === 'timed-out' ? '✘ not recovered in time' : '✘ stopped here'];
  }
  if (step.outcome === 'failed-to-start') return ['bad', `✘ could not start: ${(step.error ?? '').split('\n')[0]}`];
  const passed = journal ? outcome(journal).passed : step.exitCode === 0;
  return [passed ? 'good' : 'bad', `${passed ? '✔ PASSED' : '✘ FAILED'} (${step.status ?? 'unknown'}, exit ${step.exitCode ?? '—'})`];
}

function stepSection(step: ScenarioStepRecord, journal: Journal | undefined, notes: ScenarioLogbookEntry[]): string {
  const head = `<section class="step ${step.kind}" id="step-${escapeAttr(step.label)}"><h2>${esc(step.label)}. ${esc(what(step))}</h2><p class="meta">${outcomeHtml(step, journal)} · started ${esc(clockTime(step.startedAt))} · took ${esc(took(step))}</p>`;
  const logbook = betweenHtml(notes);
  if (step.kind === 'gate') return `${head}${step.prompt ? `<blockquote>${esc(step.prompt)}</blockquote>` : ''}${logbook}</section>`;
  if (step.kind === 'wait') return `${head}${step.samples !== undefined ? `<p>${step.samples} samples of ${esc(step.probe)}, ${step.failed ?? 0} failed.</p>` : ''}${logbook}</section>`;
  if (!journal) return `${head}${step.error ? `<pre>${esc(step.error)}</pre>` : step.outcome === 'ran' ? '<p>The step\'s journal could not be read.</p>' : ''}${logbook}</section>`;
  const parts = [head, logbook];
  if (step.runDir) parts.push(`<p><a href="${escapeAttr(`${step.runDir}/report.html`)}">Full report of this run</a> · <a href="${escapeAttr(step.journal ?? `${step.runDir}/journal.json`)}">journal</a></p>`);
  parts.push(`<div class="badges">${journal.verdicts.map((v) => `<span class="badge ${statusOf(v)}">${STATUS_LABEL[statusOf(v)].mark} ${esc(v.objective)}</span>`).join('')}</div>`);
  for (const [probe, samples] of probes(journal)) {
    const failed = samples.filter((x) => !x.ok).length;
    parts.push(`<figure><figcaption>${esc(probe)} <span>${samples.length} samples, ${failed} failed</span></figcaption>${renderTimeline(journal, probe, samples)}${reasonList(samples)}</figure>`);
  }
  parts.push(journal.verdicts.length ? `<div class="cards">${journal.verdicts.map(card).join('')}</div>` : '<p>No objectives.</p>');
  parts.push('</section>');
  return parts.join('\n');
}

/** The logbook entries made while this step was under way and no run had a journal to hold them (at a gate, a wait, or after the run ended). */
function betweenHtml(notes: ScenarioLogbookEntry[]): string {
  if (!notes.length) return '';
  const rows = notes.map((e) => `<li class="logbook ${e.type}"><span class="num">${esc(clockTime(e.t))}</span> ${logbookGlyph(e)} ${esc(logbookText(e))}</li>`).join('');
  return `<div class="between"><h3>Logbook</h3><ul>${rows}</ul></div>`;
}
