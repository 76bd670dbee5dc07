// `faultline history`: past runs, newest first, from their journals (<out>/*/journal.json) — the
// single source of truth — with status, recovery time and verdicts. Reads only.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Journal } from '../domain/model.js';
import { readJournal } from '../domain/read-journal.js';
import { formatDuration } from '../domain/units.js';
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
  verdicts: { objective: string; met: boolean; measured: number | null; unit: string }[];
  journal: string;
}

export function summarize(journal: Journal, file: string): HistoryEntry {
  const recoveries = journal.verdicts.filter((v) => v.kind === 'recovery' && v.measured !== null).map((v) => v.measured!);
  return {
    startedAt: new Date(journal.startedAt).toISOString(),
    experiment: journal.experiment.name,
    runId: journal.runId,
    status: journal.status,
    deviated: journal.deviated,
    unclean: journal.unclean,
    recoveryMs: recoveries.length ? Math.max(...recoveries) : null,
    verdicts: journal.verdicts.map((v) => ({ objective: v.objective, met: v.met, measured: v.measured, unit: v.unit })),
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
  for (const d of dirs) {
    const file = path.join(outRoot, d, 'journal.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue; // not a run directory
    }
    try {
      entries.push(summarize(readJournal(JSON.parse(text)), file));
    } catch (e) {
      warn(`skipped ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
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

export async function historyCommand(o: { out?: string; json?: boolean; limit?: number }, term: Terminal): Promise<number> {
  const outRoot = path.resolve(o.out ?? 'faultline-runs');
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
    .option('--limit <n>', 'show at most this many runs, newest first', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
      return n;
    }, 20)
    .action(async (o: { out?: string; json?: boolean; limit?: number }) => setCode(await historyCommand(o, term)));
}
