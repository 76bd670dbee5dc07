// A post-mortem draft in Markdown, from one run's journal or a game day's journals: the document a
// team would otherwise assemble by hand from dashboards and chat. Every figure comes from the
// journals; the judgement ("what went well", "what did not", the action items) is left to the team,
// with the evidence faultline has put next to each heading. Renders on GitHub and pastes into Confluence.
import { logbookOf } from '../domain/logbook.js';
import { logbookText } from './logbook.js';
import type { Journal, JournalEvent, ObjectiveVerdict } from '../domain/model.js';
import type { ScenarioJournal, ScenarioLogbookEntry, ScenarioStepRecord } from '../domain/scenario-journal.js';
import { formatDuration } from '../domain/units.js';
import { recoveryPoint } from '../slo/recovery.js';
import { boundText, faultTargets, measuredText, outcome, statusOf } from './format.js';
import { cell } from './markdown.js';

export interface PostmortemInput {
  /** Present for a game day; absent for a single run. */
  scenario?: ScenarioJournal;
  /** Each experiment run, labelled by its step ("1", "4.2"; "" for a single run). */
  runs: { label: string; journal: Journal }[];
  /** When the draft was written, epoch ms. */
  writtenAt: number;
  /** A game day's logbook entries that no run's journal holds (made at a gate or a wait). */
  between?: ScenarioLogbookEntry[];
}

const RESULT = { met: '✅ met', missed: '❌ missed', unknown: '❔ unknown', partial: '◐ partial' } as const;
/** Passing samples in a row that count as "passing again" on the timeline, as a recovery objective's default. */
const PASSES = 3;

interface Moment {
  t: number;
  step: string;
  what: string;
}

/** "2026-12-03 11:40:18.737 UTC": absolute, so people can line it up with dashboards and chat. */
export function utc(t: number): string {
  return `${new Date(t).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

export function renderPostmortem(input: PostmortemInput): string {
  const { scenario, runs } = input;
  const name = scenario ? scenario.scenario.name : (runs[0]?.journal.experiment.name ?? 'unknown');
  const start = scenario?.startedAt ?? Math.min(...runs.map((r) => r.journal.startedAt));
  const end = scenario ? (scenario.endedAt ?? Math.max(start, ...runs.map((r) => r.journal.endedAt))) : Math.max(...runs.map((r) => r.journal.endedAt));
  const verdicts = runs.flatMap((r) => r.journal.verdicts.map((v) => ({ label: r.label, run: r.journal, v })));
  const lines: string[] = [
    `# Post-mortem (draft): ${cell(name)}`,
    '',
    `> Drafted by faultline ${runs[0]?.journal.faultlineVersion ?? ''} on ${utc(input.writtenAt)} from the ${scenario ? 'game day\'s journals' : 'run\'s journal'}. Every time and figure below is measured; the judgement is yours: edit, cut, add.`,
    '',
    '## Summary',
    '',
    `- **What:** ${scenario ? `game day \`${cell(name)}\`, ${scenario.steps.length} step${scenario.steps.length === 1 ? '' : 's'} (seed \`${cell(scenario.seed)}\`)` : `experiment \`${cell(name)}\` (${runs[0]?.journal.driver ?? ''} driver, run \`${cell(runs[0]?.journal.runId ?? '')}\`)`}`,
    `- **When:** ${utc(start)} to ${utc(end)} (${formatDuration(Math.max(0, end - start))})`,
    `- **Outcome:** ${outcomeLine(input)}`,
    `- **Objectives:** ${verdicts.length ? `${verdicts.filter((x) => statusOf(x.v) === 'met').length} of ${verdicts.length} met` : 'none judged (no objective was declared or no experiment ran)'}`,
    `- **Faults:** ${faultSummary(runs) || 'none injected'}`,
    `- **Detection:** ${detectionSummary(runs)}`,
    `- **Recovery:** ${recoverySummary(verdicts) || 'no recovery objective'}`,
    '',
    '## Timeline',
    '',
    'All times UTC. Faults, what the probes saw (first failed sample, passing again), notes and detection marks from the logbook, and the game day\'s steps.',
    '',
    '| Time (UTC) | Step | What happened |',
    '|---|---|---|',
    ...timeline(input).map((m) => `| ${utc(m.t).slice(11, 23)} | ${cell(m.step) || '—'} | ${cell(m.what)} |`),
    '',
    '## Verdicts',
    '',
  ];
  if (verdicts.length) {
    lines.push(`| ${scenario ? 'Step | ' : ''}Objective | Bound | Measured | Result |`, `|${scenario ? '---|' : ''}---|---|---|---|`);
    for (const { label, run, v } of verdicts) lines.push(`| ${scenario ? `${cell(label)} ${cell(run.experiment.name)} | ` : ''}${cell(v.objective)} | ${cell(boundText(v))} | ${cell(measuredText(v))} | ${RESULT[statusOf(v)]} |`);
    lines.push('');
    for (const { v } of verdicts) if (statusOf(v) !== 'met') lines.push(`- **${cell(v.objective)}:** ${cell(v.detail)}`);
  } else {
    lines.push('_No objective was judged._');
  }
  lines.push('', ...wentWell(verdicts.map((x) => x.v), runs, scenario), '', ...didNotGoWell(verdicts.map((x) => x.v), runs, scenario), '', ...actionItems(verdicts.map((x) => x.v), runs), '');
  return lines.join('\n');
}

function outcomeLine({ scenario, runs }: PostmortemInput): string {
  if (scenario) return `${scenario.status}${scenario.reason ? ` (${cell(scenario.reason)})` : ''}, exit code ${scenario.exitCode ?? 'none (still running or died)'}`;
  const j = runs[0]?.journal;
  if (!j) return 'no run';
  const o = outcome(j);
  return `${j.status}, ${o.passed ? 'passed' : `failed: ${cell(o.problems.join('; '))}`}${j.reason ? ` (${cell(j.reason)})` : ''}`;
}

function faultSummary(runs: PostmortemInput['runs']): string {
  return runs
    .flatMap((r) => {
      const targets = faultTargets(r.journal);
      return r.journal.faults.filter((f) => f.injectedAt !== null).map((f) => `${cell(f.name)} (${cell(f.kind)}) on ${cell((targets.get(f.name) ?? []).join(', ') || '?')}${r.label ? ` in step ${cell(r.label)}` : ''}`);
    })
    .join('; ');
}

/** Human marks from the logbook first (the live console writes them); else what the probes saw. */
function detectionSummary(runs: PostmortemInput['runs']): string {
  const human = runs.flatMap((r) => logbook(r.journal).filter((e) => e.kind === 'detected').map((e) => ({ ...e, injected: firstInjected(r.journal) })));
  const machine = runs.flatMap((r) => probeMoments(r.journal).filter((m) => m.kind === 'failing').map((m) => ({ ...m, label: r.label, injected: firstInjected(r.journal) })));
  const parts: string[] = [];
  if (human.length) parts.push(`people: ${human.map((h) => `${cell(h.text)}${h.injected !== null ? ` (${formatDuration(h.t - h.injected)} after the first fault)` : ''}`).join('; ')}`);
  else parts.push('no human detection was marked in the logbook');
  if (machine.length) parts.push(`probes: ${machine.map((m) => `${cell(m.probe)}${m.label ? ` (step ${cell(m.label)})` : ''} failed first ${m.injected !== null ? `${formatDuration(m.t - m.injected)} after the first fault` : `at ${utc(m.t)}`}`).join('; ')}`);
  else parts.push('no probe failed after a fault');
  return parts.join('; ');
}

function recoverySummary(verdicts: { label: string; v: ObjectiveVerdict }[]): string {
  return verdicts
    .filter(({ v }) => v.kind === 'recovery')
    .map(({ label, v }) => `${cell(v.probe ?? v.objective)}${label ? ` (step ${cell(label)})` : ''}: ${v.measured === null ? 'not recovered' : formatDuration(v.measured)} (bound ${formatDuration(v.bound)})`)
    .join('; ');
}

function firstInjected(j: Journal): number | null {
  const times = j.faults.map((f) => f.injectedAt).filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

interface LogbookEntry {
  t: number;
  kind: 'note' | 'detected';
  text: string;
}

/** Notes and detection marks the live console wrote into the journal (`note`, `detected` events). */
export function logbook(j: Journal): LogbookEntry[] {
  return logbookOf(j).map((e) => ({ t: e.t, kind: e.type, text: logbookText(e) }));
}

/** Per probe: its first failed sample after the first injection, and when it was passing again after that. */
function probeMoments(j: Journal): { t: number; probe: string; kind: 'failing' | 'passing'; why?: string }[] {
  const from = firstInjected(j);
  if (from === null) return [];
  const out: { t: number; probe: string; kind: 'failing' | 'passing'; why?: string }[] = [];
  for (const probe of [...new Set(j.samples.map((s) => s.probe))]) {
    const ordered = j.samples.filter((s) => s.probe === probe).sort((a, b) => a.t - b.t);
    const failed = ordered.find((s) => !s.ok && s.t >= from);
    if (!failed) continue;
    out.push({ t: failed.t, probe, kind: 'failing', ...(failed.error ? { why: failed.error } : {}) });
    const lastFailure = [...ordered].reverse().find((s) => !s.ok)!;
    const back = recoveryPoint(ordered, lastFailure.t, PASSES);
    if (back !== null) out.push({ t: back, probe, kind: 'passing' });
  }
  return out;
}

const INTERESTING = new Set<JournalEvent['type']>(['inject', 'revert', 'abort', 'interrupt']);

function timeline({ scenario, runs, between }: PostmortemInput): Moment[] {
  const m: Moment[] = [];
  const stepName = (label: string, j?: Journal) => (label ? `${label}${j ? ` ${j.experiment.name}` : ''}` : '');
  for (const { label, journal: j } of runs) {
    const step = stepName(label, j);
    m.push({ t: j.startedAt, step, what: `run started: ${j.experiment.name} (${j.driver} driver, run ${j.runId})` });
    for (const e of j.events) {
      if (!INTERESTING.has(e.type)) continue;
      if (e.type === 'inject') m.push({ t: e.t, step, what: e.ok ? `fault ${e.fault} (${e.kind}) injected on ${e.target}` : `fault ${e.fault} (${e.kind}) could not be injected on ${e.target}: ${e.error ?? 'unknown error'}` });
      if (e.type === 'revert') m.push({ t: e.t, step, what: e.ok ? `fault ${e.fault} (${e.kind}) reverted on ${e.target}` : `revert of ${e.fault} on ${e.target} FAILED: ${e.error ?? 'unknown error'}` });
      if (e.type === 'abort') m.push({ t: e.t, step, what: `run aborted: ${e.reason}` });
      if (e.type === 'interrupt') m.push({ t: e.t, step, what: `interrupted by ${e.signal}` });
    }
    for (const p of probeMoments(j)) m.push({ t: p.t, step, what: p.kind === 'failing' ? `probe ${p.probe} failed (first failure after the fault${p.why ? `: ${p.why.slice(0, 100)}` : ''})` : `probe ${p.probe} passing again (${PASSES} in a row)` });
    for (const n of logbook(j)) m.push({ t: n.t, step, what: n.kind === 'note' ? `note: ${n.text}` : n.text });
    m.push({ t: j.endedAt, step, what: `run ended: ${j.status}${j.reason ? ` (${j.reason})` : ''}` });
  }
  for (const s of scenario?.steps ?? []) m.push(...stepMoments(s));
  for (const e of between ?? []) {
    const s = scenario?.steps.find((x) => x.label === e.step);
    const step = s ? `${s.label} ${s.kind === 'experiment' ? s.experiment : s.kind}` : (e.step ?? '');
    m.push({ t: e.t, step, what: e.type === 'note' ? `note: ${logbookText(e)}` : logbookText(e) });
  }
  if (scenario) {
    m.push({ t: scenario.startedAt, step: '', what: `game day ${scenario.scenario.name} started (seed ${scenario.seed})` });
    if (scenario.endedAt !== null) m.push({ t: scenario.endedAt, step: '', what: `game day ended: ${scenario.status}${scenario.reason ? ` (${scenario.reason})` : ''}` });
  }
  // Stable: moments at the same instant keep the order they were added in.
  return m.sort((a, b) => a.t - b.t);
}

function stepMoments(s: ScenarioStepRecord): Moment[] {
  const step = `${s.label} ${s.kind}`;
  if (s.kind === 'gate' && s.startedAt !== undefined) {
    const out = [{ t: s.startedAt, step, what: `gate opened${s.prompt ? `: "${s.prompt}"` : ''}` }];
    if (s.endedAt !== undefined) out.push({ t: s.endedAt, step, what: s.outcome === 'advanced' ? `gate advanced${s.by ? ` (${s.by})` : ''}` : 'game day stopped at this gate' });
    return out;
  }
  if (s.kind === 'wait' && s.startedAt !== undefined) {
    const out = [{ t: s.startedAt, step, what: `waiting until ${s.probe} has recovered (at most ${formatDuration(s.atMost)})` }];
    if (s.endedAt !== undefined) out.push({ t: s.endedAt, step, what: s.outcome === 'recovered' ? `${s.probe} recovered after ${formatDuration(s.recoveredAfterMs ?? 0)}` : s.outcome === 'timed-out' ? `${s.probe} had not recovered after ${formatDuration(s.atMost)}` : 'game day stopped during this wait' });
    return out;
  }
  if (s.kind === 'experiment' && s.outcome === 'failed-to-start' && s.startedAt !== undefined) return [{ t: s.startedAt, step: `${s.label} ${s.experiment}`, what: `could not start: ${(s.error ?? '').split('\n')[0]}` }];
  return [];
}

type Evidence = ObjectiveVerdict[];

function wentWell(verdicts: Evidence, runs: PostmortemInput['runs'], scenario?: ScenarioJournal): string[] {
  const evidence: string[] = [];
  for (const v of verdicts.filter((x) => statusOf(x) === 'met')) evidence.push(`objective met: ${cell(v.objective)}, measured ${cell(measuredText(v))} (bound ${cell(boundText(v))})`);
  const reverted = runs.flatMap((r) => r.journal.events.filter((e) => e.type === 'revert' && e.ok)).length;
  if (reverted && runs.every((r) => !r.journal.unclean)) evidence.push(`every fault was reverted (${reverted} revert${reverted === 1 ? '' : 's'}), nothing was left behind`);
  for (const s of scenario?.steps ?? []) if (s.kind === 'wait' && s.outcome === 'recovered') evidence.push(`${cell(s.probe)} was healthy again ${formatDuration(s.recoveredAfterMs ?? 0)} into the wait of step ${cell(s.label)}`);
  return ['## What went well', '', '_For the team to write. Evidence from the journals:_', '', ...(evidence.length ? evidence.map((e) => `- ${e}`) : ['- (nothing measured stands out)'])];
}

function didNotGoWell(verdicts: Evidence, runs: PostmortemInput['runs'], scenario?: ScenarioJournal): string[] {
  const evidence: string[] = [];
  for (const v of verdicts.filter((x) => statusOf(x) !== 'met')) evidence.push(`objective ${statusOf(v)}: ${cell(v.objective)}, measured ${cell(measuredText(v))} (bound ${cell(boundText(v))}): ${cell(v.detail)}`);
  for (const r of runs) {
    for (const n of r.journal.notices ?? []) evidence.push(`notice: ${cell(n)}`);
    for (const l of r.journal.leftovers) evidence.push(`left behind: ${cell(l)}`);
    if (r.journal.status !== 'completed') evidence.push(`${cell(r.journal.experiment.name)} ended ${r.journal.status}${r.journal.reason ? `: ${cell(r.journal.reason)}` : ''}`);
  }
  if (scenario && scenario.status !== 'completed') evidence.push(`the game day ended ${scenario.status}${scenario.reason ? `: ${cell(scenario.reason)}` : ''}`);
  for (const s of scenario?.steps ?? []) {
    if ((s.kind === 'gate' || s.kind === 'wait') && s.outcome === 'stopped') evidence.push(`the game day stopped at step ${cell(s.label)} (${s.kind})`);
    if (s.kind === 'wait' && s.outcome === 'timed-out') evidence.push(`${cell(s.probe)} had not recovered after ${formatDuration(s.atMost)} (step ${cell(s.label)})`);
    if (s.kind === 'experiment' && s.outcome === 'failed-to-start') evidence.push(`step ${cell(s.label)} ${cell(s.experiment)} could not start: ${cell((s.error ?? '').split('\n')[0] ?? '')}`);
    if (s.outcome === 'not-started') evidence.push(`step ${cell(s.label)} (${s.kind}) did not run`);
  }
  return ['## What did not go well', '', '_For the team to write. Evidence from the journals:_', '', ...(evidence.length ? evidence.map((e) => `- ${e}`) : ['- (nothing measured stands out)'])];
}

function actionItems(verdicts: Evidence, runs: PostmortemInput['runs']): string[] {
  const seeds = [
    ...verdicts.filter((v) => statusOf(v) === 'missed').map((v) => `Find out why "${v.objective}" was missed (${measuredText(v)} against ${boundText(v)})`),
    ...verdicts.filter((v) => statusOf(v) === 'unknown' || statusOf(v) === 'partial').map((v) => `Make "${v.objective}" measurable next time: ${v.detail}`),
    ...runs.filter((r) => r.journal.unclean).map((r) => `Remove what ${r.journal.experiment.name} left behind and find out why its revert failed`),
  ];
  const rows = seeds.length ? seeds : ['(add the team\'s actions here)'];
  return ['## Action items', '', '| # | Action | Owner | Due | Ticket |', '|---|---|---|---|---|', ...rows.map((a, i) => `| ${i + 1} | ${cell(a)} | | | |`)];
}
