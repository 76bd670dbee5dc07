// `faultline report RUN_DIR`: renders a run's or a game day's records again from its journals
// (report.html), or with --postmortem a Markdown post-mortem draft (postmortem.md). Reads only the
// run directory and writes only the file it names.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../domain/errors.js';
import type { Journal } from '../domain/model.js';
import { readJournal } from '../domain/read-journal.js';
import type { ScenarioJournal } from '../domain/scenario-journal.js';
import { renderHtml } from '../report/index.js';
import { renderPostmortem } from '../report/postmortem.js';
import { renderScenarioHtml } from '../report/scenario-html.js';
import { systemClock } from '../runtime/system-clock.js';
import type { Terminal } from './terminal.js';
import { readStepJournals } from './write-scenario.js';

export interface ReportOptions {
  postmortem?: boolean;
  /** Where to write; default postmortem.md or report.html in the run directory. */
  output?: string;
}

export async function reportCommand(runDir: string, o: ReportOptions, term: Terminal): Promise<number> {
  const dir = path.resolve(runDir);
  const scenario = await readJson(path.join(dir, 'scenario.json'));
  const journal = scenario === undefined ? await readJson(path.join(dir, 'journal.json')) : undefined;
  if (scenario === undefined && journal === undefined) throw new InvalidInputError(`${runDir} holds neither journal.json (a run) nor scenario.json (a game day); pass a directory under faultline-runs/`);
  const file = path.resolve(o.output ?? path.join(dir, o.postmortem ? 'postmortem.md' : 'report.html'));
  let text: string;
  if (scenario !== undefined) {
    const s = scenario as ScenarioJournal;
    if (s.kind !== 'Scenario' || !Array.isArray(s.steps)) throw new InvalidInputError(`${path.join(runDir, 'scenario.json')} is not a faultline scenario journal`);
    const report = await readStepJournals(dir, s);
    const runs = s.steps.flatMap((step) => (report.journals[step.label] ? [{ label: step.label, journal: report.journals[step.label]! }] : []));
    text = o.postmortem ? renderPostmortem({ scenario: s, runs, writtenAt: systemClock.now(), ...(report.between ? { between: report.between } : {}) }) : renderScenarioHtml(report);
  } else {
    let j: Journal;
    try {
      j = readJournal(journal);
    } catch (e) {
      throw new InvalidInputError(`${path.join(runDir, 'journal.json')}: ${(e as Error).message}`);
    }
    text = o.postmortem ? renderPostmortem({ runs: [{ label: '', journal: j }], writtenAt: systemClock.now() }) : renderHtml(j);
  }
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, text, { mode: 0o600 });
  await rename(partial, file);
  term.err(`wrote: ${file}`);
  return 0;
}

/** The parsed file, or undefined when it does not exist. */
async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InvalidInputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}
