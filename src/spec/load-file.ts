// Loads a faultline file of either kind, chosen by its `kind`: what `faultline validate` checks.
// The file is read and parsed once whatever its kind; the schedule loader (and the calendar and time
// zone code it needs) is imported only when a schedule is found, so validating experiments never pays for it.
// A scenario's loader is imported only for a scenario, likewise.
import { closest } from '../domain/suggest.js';
import { experimentFrom, type LoadedExperiment } from './load-experiment.js';
import { invalid, parseDocumentText, readDocumentFile } from './load-document.js';
import type { LoadedScenario } from './load-scenario.js';
import type { LoadedSchedule } from './load-schedule.js';
import { isPlainObject } from './problem.js';

export type LoadedFile =
  | { kind: 'Experiment'; experiment: LoadedExperiment }
  | { kind: 'Schedule'; schedule: LoadedSchedule }
  | { kind: 'Scenario'; scenario: LoadedScenario };

const KINDS = ['Experiment', 'Schedule', 'Scenario'];

/** `now` anchors a schedule's "can this cadence ever fit" checks; `seed` overrides a scenario's, for its picks. */
export async function loadFile(file: string, now: number, seed?: string): Promise<LoadedFile> {
  return loadFileText(readDocumentFile(file, 'an experiment, schedule or scenario'), file, now, seed);
}

/** `loadFile` on text already read; `file` names it in messages and anchors relative paths. */
export async function loadFileText(text: string, file: string, now: number, seed?: string): Promise<LoadedFile> {
  const doc = parseDocumentText(text, file);
  const kind = isPlainObject(doc.data) ? doc.data.kind : undefined;
  if (kind === 'Schedule') return { kind, schedule: await (await import('./load-schedule.js')).scheduleFrom(doc, now) };
  if (kind === 'Scenario') return { kind, scenario: await (await import('./load-scenario.js')).scenarioFrom(doc, seed) };
  if (typeof kind === 'string' && kind !== 'Experiment') {
    const guess = closest(kind, KINDS);
    throw invalid(doc.locate([{ path: ['kind'], message: `unknown kind ${JSON.stringify(kind)}${guess ? `, did you mean "${guess}"?` : ''} (a faultline file is kind ${KINDS.slice(0, -1).join(', ')} or ${KINDS.at(-1)})` }]));
  }
  // No kind, or not a mapping at all: the experiment schema says what is missing.
  return { kind: 'Experiment', experiment: experimentFrom(doc) };
}
