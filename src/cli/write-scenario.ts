// Writing a game day's records: scenario.json (after every step, renamed into place so a reader
// never sees half of it) and, at the end, report.html for the whole scenario.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Journal } from '../domain/model.js';
import { readJournal } from '../domain/read-journal.js';
import type { ScenarioJournal, ScenarioReport } from '../domain/scenario-journal.js';
import { renderScenarioHtml } from '../report/scenario-html.js';

export async function writeScenarioJournal(dir: string, journal: ScenarioJournal): Promise<void> {
  await writeAtomically(path.join(dir, 'scenario.json'), `${JSON.stringify(journal, null, 2)}\n`);
}

/** Renders report.html from the scenario journal and every step journal it links; returns its path. */
export async function writeScenarioReport(dir: string, journal: ScenarioJournal): Promise<string> {
  const file = path.join(dir, 'report.html');
  await writeAtomically(file, renderScenarioHtml(await readStepJournals(dir, journal)));
  return file;
}

/** The scenario journal with each step's journal read back in; a step whose journal cannot be read is left out. */
export async function readStepJournals(dir: string, scenario: ScenarioJournal): Promise<ScenarioReport> {
  const journals: Record<string, Journal> = {};
  for (const step of scenario.steps) {
    if (step.kind !== 'experiment' || !step.journal) continue;
    try {
      journals[step.label] = readJournal(JSON.parse(await readFile(path.join(dir, step.journal), 'utf8')));
    } catch {
      // Reported as "could not be read" on the step itself.
    }
  }
  return { scenario, journals };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, text, { mode: 0o600 });
  await rename(partial, file);
}
