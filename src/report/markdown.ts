// A short Markdown summary for CI (GitHub step summaries, merge request comments).
import type { Journal } from '../domain/model.js';
import { printable } from '../domain/printable.js';
import { failureReasons, faultTargets, measuredText, outcome, runDuration, shortOffset, statusOf, boundText } from './format.js';
import { detectionLine } from './detection-markers.js';
import { PHASE_COLUMNS, durabilityLine, fromInjection, lostWindowLine, phaseRows, recoveryLine } from './workload-figures.js';

const RESULT = { met: '✅ met', missed: '❌ missed', unknown: '❔ unknown', partial: '◐ partial' } as const;

/** Table cells: one line, no pipes, no HTML, no stray emphasis or code spans, no control characters. */
export function cell(text: string): string {
  return printable(text)
    .replace(/\r?\n/g, ' ')
    .replace(/[\\|`*_[\]]/g, (c) => `\\${c}`)
    // Only a "<" that could open a tag or comment is dangerous; "<= 300ms" is left readable.
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

function code(text: string): string {
  return `\`${printable(text).replace(/\n/g, ' ').replace(/`/g, "'")}\``;
}

export function renderMarkdown(journal: Journal): string {
  const o = outcome(journal);
  const lines: string[] = [
    `### ${o.passed ? '✅' : '❌'} faultline: ${cell(journal.experiment.name)} ${o.passed ? 'passed' : 'failed'}`,
    '',
    `**Status:** ${journal.status}${o.problems.length ? ` (${cell(o.problems.join('; '))})` : ''}  `,
    `**Run:** ${code(journal.runId)} · **Seed:** ${code(journal.seed)} · **Driver:** ${journal.driver} · **Duration:** ${runDuration(journal)}  `,
    `**Targets:** ${journal.targets.length ? journal.targets.map((t) => `${cell(t.group)}/${cell(t.name)}`).join(', ') : 'none'}`,
    '',
  ];
  for (const n of journal.notices ?? []) lines.push('> [!WARNING]', `> ${cell(n)}`, '');
  if (journal.verdicts.length) {
    lines.push('| Objective | Target | Measured | Result |', '|---|---|---|---|');
    for (const v of journal.verdicts) {
      lines.push(`| ${cell(v.objective)} | ${cell(boundText(v))} | ${cell(measuredText(v))} | ${RESULT[statusOf(v)]} |`);
    }
    const unjudged = journal.verdicts.filter((v) => statusOf(v) === 'unknown');
    if (unjudged.length) lines.push('', ...unjudged.map((v) => `**Not judged:** ${cell(v.objective)}: ${cell(v.detail)}  `));
    const partial = journal.verdicts.filter((v) => statusOf(v) === 'partial');
    if (partial.length) lines.push('', ...partial.map((v) => `**Partial:** ${cell(v.objective)}: ${cell(v.detail)}  `));
  } else {
    lines.push('_No objectives._');
  }
  lines.push('');
  const recovery = recoveryLine(journal);
  if (recovery) lines.push(`**Recovery:** ${cell(recovery)}`, '');
  const detection = detectionLine(journal);
  if (detection) lines.push(`**Detection:** ${cell(detection)}`, '');
  for (const w of journal.workloads ?? []) {
    lines.push(`#### Workload ${cell(w.workload)}`, '', `| ${PHASE_COLUMNS.join(' | ')} |`, `|${PHASE_COLUMNS.map(() => '---').join('|')}|`);
    for (const row of phaseRows(w)) lines.push(`| ${row.map(cell).join(' | ')} |`);
    lines.push('');
    const d = w.durability;
    if (!d) continue;
    lines.push(`**Durability:** ${durabilityLine(d)}  `);
    const window = lostWindowLine(w, d);
    if (window) lines.push(`**Lost:** ${cell(window)}; e.g. ${d.lostSample.slice(0, 5).map((l) => `${code(l.key)} (${fromInjection(w, l.ackAt)})`).join(', ')}${d.lost > 5 ? ', ...' : ''}  `);
    if (d.neverRead) lines.push(`**Never read back:** ${d.neverRead} acknowledged write${d.neverRead === 1 ? '' : 's'} (${cell(d.neverReadReason ?? 'unknown reason')})  `);
    lines.push('');
  }
  if (journal.faults.length) {
    const targets = faultTargets(journal);
    lines.push('| Fault | Kind | Target | Injected | Reverted |', '|---|---|---|---|---|');
    for (const f of journal.faults) {
      const reverted = f.instant ? 'instant' : shortOffset(f.revertedAt, journal.startedAt);
      lines.push(`| ${cell(f.name)} | ${cell(f.kind)} | ${cell((targets.get(f.name) ?? []).join(', ') || '—')} | ${shortOffset(f.injectedAt, journal.startedAt)} | ${reverted} |`);
    }
    lines.push('');
  }
  const probes = [...new Set(journal.samples.map((x) => x.probe))];
  for (const probe of probes) {
    const reasons = failureReasons(journal.samples.filter((x) => x.probe === probe), 3);
    if (reasons.length) lines.push(`**Why ${cell(probe)} failed:** ${reasons.map(([why, n]) => `${n}× ${code(why.slice(0, 120))}`).join(' · ')}`, '');
  }
  if (journal.unclean || journal.leftovers.length) {
    lines.push('> [!WARNING]', '> The run was not cleaned up. What may be left behind:');
    for (const l of journal.leftovers.length ? journal.leftovers : ['unknown: see the journal']) lines.push(`> - ${cell(l)}`);
    lines.push('');
  }
  return lines.join('\n');
}
