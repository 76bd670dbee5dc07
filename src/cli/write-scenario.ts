// Writing a game day's records: scenario.json (after every step, renamed into place so a reader
// never sees half of it) and, at the end, report.html for the whole scenario; reading them back
// with every step's journal and the logbook entries made between experiments.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Journal } from '../domain/model.js';
import { readJournal } from '../domain/read-journal.js';
import type { ScenarioJournal, ScenarioLogbookEntry, ScenarioReport } from '../domain/scenario-journal.js';
import { renderScenarioHtml } from '../report/scenario-html.js';
import { LOGBOOK_FILE } from './logbook-file.js';

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
  const between = await readBetween(dir, journals);
  return { scenario, journals, ...(between.length ? { between } : {}) };
}

/**
 * The game day's logbook entries that no step journal holds: made at a gate or a wait, or after a
 * run had ended. A missing logbook is an empty one, and a line that does not parse (a crash mid-line)
 * is skipped.
 */
async function readBetween(dir: string, journals: Record<string, Journal>): Promise<ScenarioLogbookEntry[]> {
  let text: string;
  try {
    text = await readFile(path.join(dir, LOGBOOK_FILE), 'utf8');
  } catch {
    return [];
  }
  const entries = text.split('\n').flatMap((line) => {
    try {
      const e = JSON.parse(line) as ScenarioLogbookEntry;
      return (e.type === 'note' || e.type === 'detected') && typeof e.t === 'number' ? [e] : [];
    } catch {
      return [];
    }
  });
  const inJournal = (e: ScenarioLogbookEntry) => e.step !== undefined && (journals[e.step]?.events.some((x) => x.t === e.t && x.type === e.type) ?? false);
  return entries.filter((e) => !inJournal(e)).sort((a, b) => a.t - b.t);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, text, { mode: 0o600 });
  await rename(partial, file);
}
