// The JUnit and Markdown for a run that never produced a journal: the file was invalid, the engine
// or cluster could not be reached, or faultline itself failed. CI still gets a file that says what
// happened, with the located message, and the declared objectives as not judged.
import type { ObjectiveVerdict } from '../domain/model.js';
import { escapeAttr, escapeXml } from './escape.js';
import { boundText } from './format.js';
import { printable } from '../domain/printable.js';

export interface FailedStart {
  /** The experiment's name, or the file's name when it could not be read. */
  name: string;
  file: string;
  /** invalid-input (exit 2), environment (exit 3), or internal-error. */
  kind: 'invalid-input' | 'environment' | 'internal-error';
  exitCode: number;
  /** The message faultline printed, with file:line:col where there is one. */
  message: string;
  /** The declared objectives, none judged; empty when the file could not be read. */
  verdicts: ObjectiveVerdict[];
  /** ISO time the run was attempted. */
  at: string;
}

const WHAT = { 'invalid-input': 'invalid input: nothing was touched', environment: 'the environment could not be used', 'internal-error': 'faultline failed (a bug)' } as const;

const attr = (pairs: Record<string, string | number>) => Object.entries(pairs).map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`).join('');

export function renderFailedStartJUnit(f: FailedStart): string {
  const classname = `faultline.${f.name}`;
  const tests = 1 + f.verdicts.length;
  const headline = `${WHAT[f.kind]} (exit ${f.exitCode}): ${f.message.split('\n')[0]}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attr({ name: 'faultline', tests, failures: 1, errors: f.verdicts.length, time: '0.000' })}>`,
    `  <testsuite${attr({ name: f.name, tests, failures: 1, errors: f.verdicts.length, skipped: 0, time: '0.000', timestamp: f.at })}>`,
    `    <testcase${attr({ name: 'run', classname, time: '0.000' })}>`,
    `      <failure${attr({ message: headline, type: f.kind })}>${escapeXml(`${f.message}\nfile: ${f.file}\nexit code: ${f.exitCode}`)}</failure>`,
    '    </testcase>',
    ...f.verdicts.map((v) => [
      `    <testcase${attr({ name: v.objective, classname, time: '0.000' })}>`,
      `      <error${attr({ message: v.detail, type: `objective-${v.kind}-unknown` })}>${escapeXml(`${v.detail}\ntarget ${boundText(v)}`)}</error>`,
      '    </testcase>',
    ].join('\n')),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function renderFailedStartMarkdown(f: FailedStart): string {
  const text = (s: string) => printable(s).replace(/[\\|`*_[\]]/g, (c) => `\\${c}`).replace(/<(?=[A-Za-z/!?])/g, '&lt;');
  const lines = [
    `### ❌ faultline: ${text(f.name)} did not run`,
    '',
    `**${WHAT[f.kind]}** (exit code ${f.exitCode}), \`${printable(f.file).replace(/`/g, "'")}\`:`,
    '',
    '```text',
    printable(f.message).replace(/```/g, "'''"),
    '```',
    '',
  ];
  if (f.verdicts.length) {
    lines.push('| Objective | Target | Measured | Result |', '|---|---|---|---|');
    for (const v of f.verdicts) lines.push(`| ${text(v.objective)} | ${text(boundText(v))} | — | ❔ not judged |`);
    lines.push('');
  }
  return lines.join('\n');
}
