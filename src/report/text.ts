// Terminal output: the verdict table printed at the end of a run, and the one-line-per-event
// live log used when stdout is not a TTY.
import type { Journal, JournalEvent, JsonValue } from '../domain/model.js';
import { DETECTION_LABEL } from '../domain/logbook.js';
import { NOTHING_JUDGED } from '../domain/nothing-judged.js';
import { printable, printableValue } from '../domain/printable.js';
import { painter, type Paint } from './ansi.js';
import { STATUS_LABEL, measuredText, offset, outcome, runDuration, statusOf, boundText } from './format.js';
import { detectionLine } from './detection-markers.js';
import { humanDetectionLine } from './logbook.js';
import { PHASE_COLUMNS, durabilityLine, fromInjection, lostWindowLine, phaseRows, recoveryLine } from './workload-figures.js';

const STATUS_STYLE = { met: 'green', missed: 'red', unknown: 'yellow', partial: 'yellow' } as const;

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((cols) => cols.map((c, i) => (i === cols.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  '));
}

/** Per workload: the per-phase table, then durability and its lost window. */
function workloadLines(journal: Journal, paint: Paint): string[] {
  const lines: string[] = [];
  for (const w of journal.workloads ?? []) {
    lines.push('', `  ${paint('bold', `workload ${w.workload}`)}${w.history ? paint('dim', ` (${w.history})`) : ''}`);
    const [header, ...rows] = columns([[...PHASE_COLUMNS], ...phaseRows(w)]);
    lines.push(`    ${paint('dim', header!)}`, ...rows.map((r) => `    ${r}`));
    const d = w.durability;
    if (!d) continue;
    lines.push(`    durability: ${durabilityLine(d)}`);
    const window = lostWindowLine(w, d);
    if (window) lines.push(`    ${paint('red', window)}`);
    if (d.lostSample.length) lines.push(`    lost e.g. ${d.lostSample.slice(0, 5).map((l) => `${l.key} (acknowledged ${fromInjection(w, l.ackAt)})`).join(', ')}${d.lost > 5 ? ', ...' : ''}`);
    if (d.neverRead) lines.push(`    ${paint('yellow', `${d.neverRead} acknowledged write${d.neverRead === 1 ? '' : 's'} could not be read back: ${d.neverReadReason ?? 'unknown reason'}`)}`);
  }
  return lines;
}

/** Columns are padded before painting, so escape codes never disturb the alignment. */
export function renderVerdictTable(raw: Journal, options: { color: boolean }): string {
  // Every string in it may come from the world (errors, names, leftovers): made printable once, before our own colour.
  const journal = printableValue(raw);
  const paint = painter(options.color);
  const o = outcome(journal);
  const lines: string[] = [];
  if (journal.verdicts.length) {
    const rows = journal.verdicts.map((v) => {
      const label = STATUS_LABEL[statusOf(v)];
      return { v, cols: [`${label.mark} ${label.word}`, v.objective, measuredText(v), boundText(v)] };
    });
    const header = ['RESULT', 'OBJECTIVE', 'MEASURED', 'TARGET'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r.cols[i]!].length)));
    const pad = (cols: string[]) => cols.map((c, i) => (i === cols.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)));
    lines.push(`  ${paint('dim', pad(header).join('  '))}`);
    for (const { v, cols } of rows) {
      const [result, ...rest] = pad(cols);
      lines.push(`  ${paint(STATUS_STYLE[statusOf(v)], result!)}  ${rest.join('  ')}`);
      if (!v.met) lines.push(`  ${' '.repeat(widths[0]!)}  ${paint('dim', v.detail)}`);
    }
  } else {
    lines.push(`  ${paint('dim', 'no objectives')}`);
  }
  const recovery = recoveryLine(journal);
  if (recovery) lines.push('', `  ${recovery}`);
  const detection = detectionLine(journal);
  if (detection) lines.push('', `  ${detection}`);
  const human = humanDetectionLine(journal);
  if (human) lines.push('', `  ${human}`);
  lines.push(...workloadLines(journal, paint));
  lines.push('');
  for (const l of journal.leftovers) lines.push(paint('yellow', `  ! left behind: ${l}`));
  for (const n of journal.notices ?? []) lines.push(paint('yellow', `  ! ${n}`));
  const met = journal.verdicts.length - o.missed - o.unknown - o.partial;
  const what = o.passed ? `${met} of ${journal.verdicts.length} objectives met` : o.problems.join('; ');
  // Nothing judged is not a failure of the system either: its own mark, never PASSED.
  const onlyUnjudged = o.problems.length === 1 && o.problems[0] === NOTHING_JUDGED;
  const badge = o.passed ? paint('green', '✔ PASSED') : onlyUnjudged ? paint('yellow', '? NOT JUDGED') : paint('red', '✘ FAILED');
  lines.push(`${badge} ${paint('bold', journal.experiment.name)}: ${what} · status ${journal.status} · run ${journal.runId} · ${runDuration(journal)}`);
  return lines.join('\n');
}

/** "pid 1234" when a fault's undo record names the process it acted on. */
function pidOf(undo: JsonValue | undefined): string {
  if (undo && typeof undo === 'object' && !Array.isArray(undo) && typeof undo['pid'] === 'number') return ` (pid ${undo['pid']})`;
  return '';
}

function describeEvent(e: JournalEvent): string {
  switch (e.type) {
    case 'phase':
      return `phase ${e.phase}`;
    case 'log':
      return `${e.level} ${e.message}`;
    case 'targets':
      return `targets ${e.targets.length ? e.targets.map((t) => `${t.group}/${t.name}`).join(', ') : 'none'}`;
    case 'inject':
      return `inject ${e.kind} ${e.target}${e.ok ? pidOf(e.undo) : ` FAILED: ${e.error ?? 'unknown error'}`}`;
    case 'revert':
      return `revert ${e.kind} ${e.target}${e.ok ? (e.note ? ` (${e.note})` : '') : ` FAILED: ${e.error ?? 'unknown error'}`}`;
    case 'abort':
      return `abort: ${e.reason}`;
    case 'interrupt':
      return `interrupted by ${e.signal}`;
    case 'service': {
      const extra = [e.pid !== undefined ? `pid ${e.pid}` : '', e.code != null ? `code ${e.code}` : '', e.signal ? `signal ${e.signal}` : ''].filter(Boolean);
      return `service ${e.service} ${e.event}${extra.length ? ` (${extra.join(', ')})` : ''}`;
    }
    case 'note':
      return `note: ${e.text}`;
    case 'detected':
      return `detected by ${e.by} through ${DETECTION_LABEL[e.via]}${e.text ? `: ${e.text}` : ''}`;
  }
}

/** One plain line, e.g. "+1.234s inject kill primary (pid 1234)"; line breaks in messages are flattened, control characters made visible. */
export function formatEvent(event: JournalEvent, startedAt: number): string {
  return `${offset(event.t, startedAt)} ${printable(describeEvent(event)).replace(/\s*\n\s*/g, ' ')}`;
}
