// Reads an experiment file (YAML or JSON) and returns a typed, checked Experiment, or throws an
// InvalidInputError listing every problem (up to a limit) with file:line:col and document path.
// Nothing here has side effects beyond reading the one file.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidInputError, formatDiagnostic, type Diagnostic } from '../domain/errors.js';
import { Experiment } from '../domain/experiment.js';
import { checkReferences } from './check-references.js';
import { interpolateEnv } from './interpolate.js';
import { formatPath, type Problem } from './problem.js';
import { problemsFromIssues, type SchemaIssue } from './schema-problems.js';
import { looksLikeJson, parseSource } from './source-document.js';

export interface LoadedExperiment {
  experiment: Experiment;
  /** Absolute path of the experiment file. */
  file: string;
  /** The file's directory, against which relative paths in the experiment were resolved. */
  dir: string;
  /** The file's text as read. */
  source: string;
  /** Values read from the environment with ${env:NAME}: redacted wherever faultline writes. */
  secrets: string[];
  /** The experiment as written, before ${env:...} was filled in: what the journal records. */
  asWritten: Experiment;
}

/** Beyond this many, more problems are summarised in one line: the first ones are what a user fixes first. */
export const MAX_DIAGNOSTICS = 20;

export async function loadExperiment(file: string): Promise<LoadedExperiment> {
  const text = await readExperimentFile(file);
  return parseExperiment(text, file);
}

/** Parses, validates and checks experiment text; `file` names it in messages and anchors relative paths. */
export function parseExperiment(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedExperiment {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = parseSource(source, looksLikeJson(source, file));
  if (!parsed.ok) throw invalid(parsed.problems.map((p) => ({ file, line: p.line, column: p.column, path: '', message: p.message })));

  const locate = (problems: Problem[]): Diagnostic[] =>
    problems.map((p) => ({ file, ...parsed.locate(p.path, p.atKey), path: formatPath(p.path), message: p.message }));

  const result = Experiment.safeParse(parsed.data);
  if (!result.success) {
    const problems = problemsFromIssues(result.error.issues as unknown as SchemaIssue[], Experiment, parsed.data);
    throw invalid(locate(problems));
  }
  const semantic = checkReferences(result.data);
  if (semantic.length > 0) throw invalid(locate(semantic));

  const filled = interpolateEnv(result.data, env);
  if (filled.problems.length > 0) throw invalid(locate(filled.problems));

  const absolute = resolve(file);
  const dir = dirname(absolute);
  return { experiment: resolvePaths(filled.experiment, dir), file: absolute, dir, source, secrets: filled.secrets, asWritten: result.data };
}

/** Service working directories are relative to the experiment file, so a file runs the same from anywhere. */
function resolvePaths(experiment: Experiment, dir: string): Experiment {
  const services = experiment.spec.services;
  if (services === undefined) return experiment;
  const resolved = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, { ...service, cwd: resolve(dir, service.cwd ?? '.') }]));
  return { ...experiment, spec: { ...experiment.spec, services: resolved } };
}

async function readExperimentFile(file: string): Promise<string> {
  try {
    // Synchronous on purpose: the file is small and read before anything runs, and one blocking read
    // is several times faster than the thread-pool round trips of fs/promises when validating 100 files.
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw invalid([{ path: '', message: `file not found: ${file}` }]);
    if (code === 'EISDIR') throw invalid([{ path: '', message: `${file} is a directory, not an experiment file (pass the .yaml or .json file itself)` }]);
    if (code === 'EACCES' || code === 'EPERM') throw invalid([{ path: '', message: `cannot read ${file}: permission denied` }]);
    throw invalid([{ path: '', message: `cannot read ${file}: ${(err as Error).message}` }]);
  }
}

function invalid(diagnostics: Diagnostic[]): InvalidInputError {
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.path}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Stable sort: problems at the same place keep the order they were found in.
  unique.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const shown = unique.slice(0, MAX_DIAGNOSTICS);
  if (unique.length > shown.length) {
    const first = shown[0];
    shown.push({ ...(first?.file ? { file: first.file } : {}), path: '', message: `... and ${unique.length - shown.length} more problems` });
  }
  const error = new InvalidInputError(shown.map(formatDiagnostic).join('\n'), shown);
  // The message is the whole story; a stack would only point into the loader.
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
