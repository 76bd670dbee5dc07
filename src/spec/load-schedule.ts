// Reads a schedule file (YAML or JSON) and every experiment it lists, or throws an
// InvalidInputError with every problem located at file:line:col — the schedule's own and those of
// each invalid experiment, named. A schedule never starts with an experiment it could not run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { FaultlineError, InvalidInputError, formatDiagnostic, type Diagnostic } from '../domain/errors.js';
import { Schedule } from '../domain/schedule.js';
import { checkSchedule } from '../schedule/check-schedule.js';
import { loadExperiment, MAX_DIAGNOSTICS, type LoadedExperiment } from './load-experiment.js';
import { formatPath, type Problem } from './problem.js';
import { problemsFromIssues, type SchemaIssue } from './schema-problems.js';
import { looksLikeJson, parseSource } from './source-document.js';

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
  const text = readScheduleFile(file);
  const { schedule, dir, absolute, locate } = parseScheduleText(text, file, now);
  const experiments: LoadedExperiment[] = [];
  const problems: Diagnostic[] = [];
  for (const [i, entry] of schedule.spec.experiments.entries()) {
    const where = locate([{ path: ['spec', 'experiments', ...(Array.isArray(schedule.spec.experiments) ? [i] : [])], message: '' }])[0]!;
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

/** Parses and checks the schedule itself, without reading the experiments it lists. */
export function parseScheduleText(text: string, file: string, now: number) {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = parseSource(source, looksLikeJson(source, file));
  if (!parsed.ok) throw invalid(parsed.problems.map((p) => ({ file, line: p.line, column: p.column, path: '', message: p.message })));
  const locate = (problems: Problem[]): Diagnostic[] =>
    problems.map((p) => ({ file, ...parsed.locate(p.path, p.atKey), path: formatPath(p.path), message: p.message }));
  const result = Schedule.safeParse(parsed.data);
  if (!result.success) throw invalid(locate(problemsFromIssues(result.error.issues as unknown as SchemaIssue[], Schedule, parsed.data)));
  const semantic = checkSchedule(result.data, now);
  if (semantic.length > 0) throw invalid(locate(semantic));
  const absolute = resolve(file);
  return { schedule: result.data, dir: dirname(absolute), absolute, locate };
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

function readScheduleFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw invalid([{ path: '', message: `file not found: ${file}` }]);
    if (code === 'EISDIR') throw invalid([{ path: '', message: `${file} is a directory, not a schedule file` }]);
    throw invalid([{ path: '', message: `cannot read ${file}: ${(err as Error).message}` }]);
  }
}

function invalid(diagnostics: Diagnostic[]): InvalidInputError {
  const sorted = [...diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const shown = sorted.slice(0, MAX_DIAGNOSTICS);
  if (sorted.length > shown.length) shown.push({ path: '', message: `... and ${sorted.length - shown.length} more problems` });
  const error = new InvalidInputError(shown.map(formatDiagnostic).join('\n'), shown);
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
