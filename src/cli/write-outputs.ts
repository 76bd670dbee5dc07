// Writing a finished run's records: the journal (mode 0600: it can name hosts and commands), an
// HTML report and a Markdown summary in the run directory, and JUnit/Markdown where asked.
import { appendFile, mkdir, open, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Journal } from '../domain/model.js';
import { renderFailedStartJUnit, renderFailedStartMarkdown, renderHtml, renderJUnit, renderMarkdown, type FailedStart } from '../report/index.js';

export interface OutputPaths {
  runDir: string;
  junit?: string;
  markdown?: string;
  html?: string;
}

export function defaultRunDir(outRoot: string, journal: Pick<Journal, 'startedAt' | 'experiment'>): string {
  const stamp = new Date(journal.startedAt).toISOString().replace(/[:.]/g, '-');
  return path.join(outRoot, `${stamp}-${journal.experiment.name}`);
}

export async function writeOutputs(journal: Journal, paths: OutputPaths): Promise<string[]> {
  await mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  const written: [string, string][] = [
    [path.join(paths.runDir, 'journal.json'), `${JSON.stringify(journal, null, 2)}\n`],
    [path.join(paths.runDir, 'report.html'), renderHtml(journal)],
    [path.join(paths.runDir, 'summary.md'), renderMarkdown(journal)],
  ];
  if (paths.junit) written.push([paths.junit, renderJUnit(journal)]);
  if (paths.html) written.push([paths.html, renderHtml(journal)]);
  for (const [file, text] of written) {
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside and renamed into place: `faultline history`, a scheduler or a CI step reading
    // the run directory never sees half a journal.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, text, { mode: 0o600 });
    await rename(partial, file);
  }
  if (paths.markdown) {
    await mkdir(path.dirname(paths.markdown), { recursive: true });
    await appendMarkdown(paths.markdown, renderMarkdown(journal));
    written.push([paths.markdown, '']);
  }
  return written.map(([f]) => f);
}

/** A run that never produced a journal: its --junit and --markdown say why. */
export async function writeFailedStartOutputs(f: FailedStart, paths: Pick<OutputPaths, 'junit' | 'markdown'>): Promise<string[]> {
  const written: string[] = [];
  if (paths.junit) {
    await mkdir(path.dirname(paths.junit), { recursive: true });
    const partial = `${paths.junit}.${process.pid}.partial`;
    await writeFile(partial, renderFailedStartJUnit(f), { mode: 0o600 });
    await rename(partial, paths.junit);
    written.push(paths.junit);
  }
  if (paths.markdown) {
    await mkdir(path.dirname(paths.markdown), { recursive: true });
    await appendMarkdown(paths.markdown, renderFailedStartMarkdown(f));
    written.push(paths.markdown);
  }
  return written;
}

/**
 * `--markdown` appends: CI summaries such as `$GITHUB_STEP_SUMMARY` are one file that every step of
 * a job adds to, and overwriting it would erase what earlier steps wrote. A file that does not end
 * with a newline gets one first, so our heading starts on a line of its own.
 */
async function appendMarkdown(file: string, text: string): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const last = await lastByte(file);
  if (last === undefined) await writeFile(file, body, { mode: 0o600 });
  else await appendFile(file, `${last === '\n' ? '\n' : '\n\n'}${body}`);
}

/** The file's last character, or undefined when it is missing or empty. */
async function lastByte(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    if (size === 0) return undefined;
    const buf = Buffer.alloc(1);
    await handle.read(buf, 0, 1, size - 1);
    return buf.toString('latin1');
  } finally {
    await handle.close();
  }
}
