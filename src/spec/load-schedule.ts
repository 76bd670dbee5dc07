// Reads a schedule file (YAML or JSON) and every experiment it lists, or throws an
// InvalidInputError with every problem located at file:line:col — the schedule's own and those of
// each invalid experiment, named. A schedule never starts with an experiment it could not run.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { FaultlineError, type Diagnostic } from '../domain/errors.js';
import { Schedule } from '../domain/schedule.js';
import { checkSchedule } from './check-schedule.js';
import { loadExperiment, type LoadedExperiment } from './load-experiment.js';
import { checkDocument, invalid, parseDocumentText, readDocumentFile, type ParsedDocument } from './load-document.js';
import { formatPath } from './problem.js';

export interface LoadedSchedule {
  schedule: Schedule;
  /** Absolute path of the schedule file. */
  file: string;
  dir: string;
  /** Every experiment, in the order listed (a directory's files sorted by name). */
  experiments: LoadedExperiment[];
}

/** `now` anchors the "can this cadence ever fit" checks, which look a year ahead. */
export async function loadSchedule(file: string, now: number): Promise<LoadedSchedule> {
  return scheduleFrom(parseDocumentText(readDocumentFile(file, 'a schedule'), file), now);
}

/** Validates an already parsed file as a schedule, then loads and checks every experiment it lists. */
export async function scheduleFrom(doc: ParsedDocument, now: number): Promise<LoadedSchedule> {
  const schedule = checkDocument(doc, Schedule, (s) => checkSchedule(s, now));
  const absolute = resolve(doc.file);
  const dir = dirname(absolute);
  const experiments: LoadedExperiment[] = [];
  const problems: Diagnostic[] = [];
  for (const [i, entry] of schedule.spec.experiments.entries()) {
    const where = doc.locate([{ path: ['spec', 'experiments', ...(Array.isArray(schedule.spec.experiments) ? [i] : [])], message: '' }])[0]!;
    const files = experimentFiles(resolve(dir, entry), absolute);
    if ('error' in files) {
      problems.push({ ...where, path: formatPath(['spec', 'experiments', i]), message: files.error });
      continue;
    }
    for (const f of files) {
      try {
        experiments.push(await loadExperiment(f));
      } catch (e) {
        if (!(e instanceof FaultlineError)) throw e;
        problems.push({ ...where, path: formatPath(['spec', 'experiments', i]), message: `experiment ${relative(process.cwd(), f) || f} is invalid, so the schedule cannot start:\n  ${e.message.split('\n').join('\n  ')}` });
      }
    }
  }
  if (problems.length > 0) throw invalid(problems);
  return { schedule, file: absolute, dir, experiments };
}

const EXPERIMENT_FILE = /\.(ya?ml|json)$/i;

function experimentFiles(path: string, scheduleFile: string): string[] | { error: string } {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return { error: `no such experiment file or directory: ${path}` };
  }
  if (!isDir) return [path];
  const files = readdirSync(path)
    .filter((f) => EXPERIMENT_FILE.test(f))
    .sort()
    .map((f) => join(path, f))
    .filter((f) => f !== scheduleFile);
  return files.length > 0 ? files : { error: `the directory ${path} holds no experiment files (.yaml, .yml, .json)` };
}
