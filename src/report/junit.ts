// JUnit XML for CI: one testcase per objective verdict, plus a failing "run" testcase when the run
// itself went wrong, so a pipeline shows an aborted or unclean run even when no objective was missed.
// An objective that could not be judged is an <error>, not <skipped>: CI tools (Jenkins, GitLab,
// GitHub test reporters) fail a build on errors but show skipped tests as neutral, and an unjudged
// objective must never look like a pass; nor must one judged only on a run cut short (partial).
import type { Journal, ObjectiveVerdict } from '../domain/model.js';
import { escapeAttr, escapeXml } from './escape.js';
import { failureReasons, faultTargets, measuredText, runProblem, statusOf, boundText } from './format.js';
import { fromInjection } from './workload-figures.js';
import { detectionLine } from './detection-markers.js';

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs).map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`).join('');
}

function figuresText(v: ObjectiveVerdict): string {
  return Object.entries(v.figures).map(([k, n]) => `${k}=${n === null ? '-' : Math.round(n * 1000) / 1000}`).join(' ');
}

/**
 * Why the objective failed, as a CI system shows it: its probe's most frequent failure reasons
 * (the same counts as the Markdown and HTML) and the faults in play with their targets.
 */
function causes(v: ObjectiveVerdict, journal: Journal): { top: string | null; lines: string[] } {
  const reasons = v.probe === undefined ? [] : failureReasons(journal.samples.filter((s) => s.probe === v.probe));
  const targets = faultTargets(journal);
  const faults = journal.faults.filter((f) => f.injectedAt !== null).map((f) => `${f.name} (${f.kind}) on ${(targets.get(f.name) ?? []).join(', ') || '-'}`);
  const detection = v.kind === 'detection' ? detectionLine(journal) : null;
  const lines = [
    ...(detection ? [detection] : []),
    ...(reasons.length ? [`why ${v.probe} failed:`, ...reasons.map(([why, n]) => `  ${n}× ${why}`)] : []),
    ...(faults.length ? [`faults: ${faults.join('; ')}`] : []),
  ];
  return { top: reasons.length ? `${reasons[0]![1]}× ${reasons[0]![0]}` : null, lines };
}

/**
 * A testcase's time is the measured duration for a recovery or detection verdict (the objectives
 * that are themselves durations) and 0 otherwise; the suite's time is the whole run.
 */
function verdictCase(v: ObjectiveVerdict, classname: string, journal: Journal): string {
  const time = (v.kind === 'recovery' || v.kind === 'detection') && v.measured !== null ? seconds(v.measured) : seconds(0);
  const open = `    <testcase${attrs({ name: v.objective, classname, time })}`;
  const status = statusOf(v);
  // A met detection still says how fast, and when it happened beside recovery.
  if (status === 'met' && v.kind === 'detection') return [`${open}>`, `      <system-out>${escapeXml([v.detail, detectionLine(journal) ?? ''].filter(Boolean).join('\n'))}</system-out>`, '    </testcase>'].join('\n');
  if (status === 'met') return `${open}/>`;
  const subject = v.workload !== undefined ? `workload: ${v.workload}${v.during ? ` during ${v.during}` : ''}` : v.observer !== undefined ? `observer: ${v.observer}` : v.kind === 'detection' ? 'by: a person (Detected marks in the console\'s logbook)' : `probe: ${v.probe ?? '-'}`;
  const w = journal.workloads?.find((x) => x.workload === v.workload);
  const lost = v.lostSample?.length && w ? [`lost e.g.: ${v.lostSample.map((l) => `${l.key} (${fromInjection(w, l.ackAt)})`).join(', ')}`] : [];
  const cause = causes(v, journal);
  const body = escapeXml([v.detail, subject, figuresText(v), ...lost, ...cause.lines].join('\n'));
  const most = cause.top === null ? '' : ` · most frequent: ${cause.top}`;
  if (status === 'partial') {
    const message = `partial: measured ${measuredText(v)} so far, target ${boundText(v)}: ${v.detail}${most}`;
    return [`${open}>`, `      <error${attrs({ message, type: `objective-${v.kind}-partial` })}>${body}</error>`, '    </testcase>'].join('\n');
  }
  if (status === 'unknown') return [`${open}>`, `      <error${attrs({ message: `${v.detail}${most}`, type: `objective-${v.kind}-unknown` })}>${body}</error>`, '    </testcase>'].join('\n');
  const message = `measured ${measuredText(v)}, target ${boundText(v)}: ${v.detail}${most}`;
  return [`${open}>`, `      <failure${attrs({ message, type: `objective-${v.kind}` })}>${body}</failure>`, '    </testcase>'].join('\n');
}

export function renderJUnit(journal: Journal): string {
  const classname = `faultline.${journal.experiment.name}`;
  const cases = journal.verdicts.map((v) => verdictCase(v, classname, journal));
  const problem = runProblem(journal);
  if (problem !== null) {
    const body = [problem, ...journal.leftovers.map((l) => `leftover: ${l}`)].join('\n');
    cases.push(
      [
        `    <testcase${attrs({ name: 'run', classname, time: seconds(journal.endedAt - journal.startedAt) })}>`,
        `      <failure${attrs({ message: problem, type: `run-${journal.status}` })}>${escapeXml(body)}</failure>`,
        '    </testcase>',
      ].join('\n'),
    );
  }
  const tests = cases.length;
  const failures = journal.verdicts.filter((v) => statusOf(v) === 'missed').length + (problem === null ? 0 : 1);
  const errors = journal.verdicts.filter((v) => statusOf(v) === 'unknown' || statusOf(v) === 'partial').length;
  const time = seconds(journal.endedAt - journal.startedAt);
  const properties = { runId: journal.runId, seed: journal.seed, driver: journal.driver, status: journal.status, faultline: journal.faultlineVersion };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'faultline', tests, failures, errors, time })}>`,
    `  <testsuite${attrs({ name: journal.experiment.name, tests, failures, errors, skipped: 0, time, timestamp: new Date(journal.startedAt).toISOString() })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
