// `faultline history`: past runs, newest first, from their journals (<out>/*/journal.json, and a
// game day's steps in <out>/*/steps/*/journal.json) — the single source of truth — with status,
// recovery time and verdicts. With --html, a page of trends per experiment (history.html). Reads only,
// but for the page it writes.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Journal, VerdictStatus } from '../domain/model.js';
import { readJournal } from '../domain/read-journal.js';
import { formatDuration } from '../domain/units.js';
import { renderHistoryHtml, type HistoryRow } from '../report/history-html.js';
import { statusOf } from '../report/format.js';
import { systemClock } from '../runtime/system-clock.js';
import type { Terminal } from './terminal.js';

export interface HistoryEntry {
  startedAt: string;
  experiment: string;
  runId: string;
  status: Journal['status'];
  deviated: boolean;
  unclean: boolean;
  /** The longest measured recovery of the run's recovery objectives, ms; null when none was measured. */
  recoveryMs: number | null;
  /** The lowest measured availability of the run's availability objectives, %; null when none was measured. */
  availability: number | null;
  verdicts: { objective: string; met: boolean; status: VerdictStatus; measured: number | null; unit: string }[];
  journal: string;
  /** The game day this run was a step of (its run directory's name), if any. */
  scenario?: string;
}

export function summarize(journal: Journal, file: string): HistoryEntry {
  const recoveries = journal.verdicts.filter((v) => v.kind === 'recovery' && v.measured !== null).map((v) => v.measured!);
  const availabilities = journal.verdicts.filter((v) => v.kind === 'availability' && v.measured !== null).map((v) => v.measured!);
  return {
    startedAt: new Date(journal.startedAt).toISOString(),
    experiment: journal.experiment.name,
    runId: journal.runId,
    status: journal.status,
    deviated: journal.deviated,
    unclean: journal.unclean,
    recoveryMs: recoveries.length ? Math.max(...recoveries) : null,
    availability: availabilities.length ? Math.min(...availabilities) : null,
    verdicts: journal.verdicts.map((v) => ({ objective: v.objective, met: v.met, status: statusOf(v), measured: v.measured, unit: v.unit })),
    journal: file,
  };
}

export async function readHistory(outRoot: string, warn: (m: string) => void): Promise<HistoryEntry[]> {
  let dirs: string[];
  try {
    dirs = await readdir(outRoot);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const entries: HistoryEntry[] = [];
  const read = async (file: string, scenario?: string) => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return; // not a run directory
    }
    try {
      entries.push({ ...summarize(readJournal(JSON.parse(text)), file), ...(scenario ? { scenario } : {}) });
    } catch (e) {
      warn(`skipped ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  for (const d of dirs) {
    await read(path.join(outRoot, d, 'journal.json'));
    // A game day keeps its steps' runs inside its own directory.
    const steps = await readdir(path.join(outRoot, d, 'steps')).catch(() => [] as string[]);
    for (const s of steps) await read(path.join(outRoot, d, 'steps', s, 'journal.json'), d);
  }
  return entries.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export function renderHistory(entries: HistoryEntry[]): string {
  if (entries.length === 0) return 'no runs recorded';
  const rows = entries.map((e) => {
    const status = e.unclean ? `${e.status}, unclean` : e.deviated ? `${e.status}, missed` : e.status;
    const met = e.verdicts.filter((v) => v.met).length;
    const missed = e.verdicts.filter((v) => !v.met).map((v) => v.objective);
    const verdicts = e.verdicts.length ? `${met}/${e.verdicts.length} met${missed.length ? ` (missed: ${missed.join('; ')})` : ''}` : '-';
    return [e.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), e.experiment, status, e.recoveryMs === null ? '-' : formatDuration(e.recoveryMs), verdicts];
  });
  const header = ['time', 'experiment', 'status', 'recovery', 'verdicts'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** The page's rows: every run, with its report linked relative to the page in `pageDir`. */
export function historyRows(entries: HistoryEntry[], pageDir: string): HistoryRow[] {
  return entries.map((e) => ({
    startedAt: e.startedAt,
    experiment: e.experiment,
    runId: e.runId,
    status: e.status,
    unclean: e.unclean,
    recoveryMs: e.recoveryMs,
    availability: e.availability,
    verdicts: e.verdicts.map((v) => ({ objective: v.objective, status: v.status })),
    report: path.relative(pageDir, path.join(path.dirname(e.journal), 'report.html')).split(path.sep).join('/'),
    ...(e.scenario ? { scenario: e.scenario } : {}),
  }));
}

export async function historyCommand(o: { out?: string; json?: boolean; limit?: number; html?: string | boolean }, term: Terminal): Promise<number> {
  const outRoot = path.resolve(o.out ?? 'faultline-runs');
  if (o.html) {
    // Trends need every run, not the last few.
    const file = path.resolve(typeof o.html === 'string' ? o.html : path.join(outRoot, 'history.html'));
    const all = await readHistory(outRoot, (m) => term.err(`warning: ${m}`));
    const partial = `${file}.${process.pid}.partial`;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(partial, renderHistoryHtml(historyRows(all, path.dirname(file)), systemClock.now()), { mode: 0o600 });
    await rename(partial, file);
    term.err(`wrote: ${file} (${all.length} run${all.length === 1 ? '' : 's'})`);
    return 0;
  }
  const entries = (await readHistory(outRoot, (m) => term.err(`warning: ${m}`))).slice(0, o.limit ?? 20);
  term.out(o.json ? JSON.stringify(entries, null, 2) : renderHistory(entries));
  return 0;
}

export function registerHistoryCommand(program: Command, term: Terminal, setCode: (code: number) => void): void {
  program
    .command('history')
    .description('list past runs from their journals: time, experiment, status, recovery time, verdicts')
    .option('--out <dir>', 'root directory of run records', 'faultline-runs')
    .option('--json', 'print the runs as JSON on stdout')
    .option('--html [file]', 'write a page of trends per experiment, every run linked to its report (default <out>/history.html)')
    .option('--limit <n>', 'show at most this many runs, newest first', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
      return n;
    }, 20)
    .action(async (o: { out?: string; json?: boolean; limit?: number; html?: string | boolean }) => setCode(await historyCommand(o, term)));
}
