// Writing a finished run's records: the journal (mode 0600: it can name hosts and commands), an
// HTML report and a Markdown summary in the run directory, and JUnit/Markdown where asked.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Journal } from '../domain/model.js';
import { renderHtml, renderJUnit, renderMarkdown } from '../report/index.js';

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
  if (paths.markdown) written.push([paths.markdown, renderMarkdown(journal)]);
  if (paths.html) written.push([paths.html, renderHtml(journal)]);
  for (const [file, text] of written) {
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside and renamed into place: `faultline history`, a scheduler or a CI step reading
    // the run directory never sees half a journal.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, text, { mode: 0o600 });
    await rename(partial, file);
  }
  return written.map(([f]) => f);
}
