// A short Markdown summary for CI (GitHub step summaries, merge request comments).
import type { Journal } from '../domain/model.js';
import { failureReasons, faultTargets, measuredText, outcome, runDuration, shortOffset, boundText } from './format.js';

/** Table cells: one line, no pipes, no HTML, no stray emphasis or code spans. */
function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\|`*_[\]]/g, (c) => `\\${c}`)
    // Only a "<" that could open a tag or comment is dangerous; "<= 300ms" is left readable.
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
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
  if (journal.verdicts.length) {
    lines.push('| Objective | Target | Measured | Result |', '|---|---|---|---|');
    for (const v of journal.verdicts) {
      lines.push(`| ${cell(v.objective)} | ${cell(boundText(v))} | ${cell(measuredText(v))} | ${v.met ? '✅ met' : '❌ missed'} |`);
    }
  } else {
    lines.push('_No objectives._');
  }
  lines.push('');
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
