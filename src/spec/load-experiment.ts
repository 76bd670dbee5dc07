// Reads an experiment file (YAML or JSON) and returns a typed, checked Experiment, or throws an
// InvalidInputError listing every problem (up to a limit) with file:line:col and document path.
// Nothing here has side effects beyond reading the one file.
import { dirname, resolve } from 'node:path';
import { Experiment, isExternal } from '../domain/experiment.js';
import { checkReferences } from './check-references.js';
import { missingPrograms, resolveCommandPaths } from './command-paths.js';
import { interpolateEnv } from './interpolate.js';
import { partialReferenceProblems } from './partial-references.js';
import { isPlainObject } from './problem.js';
import { checkDocument, invalid, parseDocumentText, readDocumentFile, type ParsedDocument } from './load-document.js';

export { MAX_DIAGNOSTICS } from './load-document.js';

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
  /** Where a value is in the file, "experiment.yaml:7:11", so a message can name where a setting came from. */
  where(path: readonly (string | number)[]): string;
}

export async function loadExperiment(file: string): Promise<LoadedExperiment> {
  return experimentFrom(parseDocumentText(readDocumentFile(file, 'an experiment'), file));
}

/** Parses, validates and checks experiment text; `file` names it in messages and anchors relative paths. */
export function parseExperiment(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedExperiment {
  return experimentFrom(parseDocumentText(text, file), env);
}

/** Validates and checks an already parsed file as an experiment. */
export function experimentFrom(doc: ParsedDocument, env: NodeJS.ProcessEnv = process.env): LoadedExperiment {
  // A scenario or schedule passed where an experiment belongs: say which command runs it, not every key that differs.
  const kind = isPlainObject(doc.data) ? doc.data.kind : undefined;
  if (kind === 'Scenario' || kind === 'Schedule') {
    throw invalid(doc.locate([{ path: ['kind'], message: `this file is a ${kind.toLowerCase()}, not an experiment: run it with \`faultline ${kind === 'Scenario' ? 'gameday' : 'schedule run'} ${doc.file}\`` }]));
  }
  const asWritten = checkDocument(doc, Experiment, checkReferences, partialReferenceProblems);
  const filled = interpolateEnv(asWritten, env);
  if (filled.problems.length > 0) throw invalid(doc.locate(filled.problems));

  const absolute = resolve(doc.file);
  const dir = dirname(absolute);
  const missing = missingPrograms(filled.experiment, dir);
  if (missing.length > 0) throw invalid(doc.locate(missing));
  const where = (path: readonly (string | number)[]) => {
    const [d] = doc.locate([{ path: [...path], message: '' }]);
    return d?.line ? `${doc.file}:${d.line}:${d.column ?? 1}` : doc.file;
  };
  return { experiment: resolveCommandPaths(resolvePaths(filled.experiment, dir), dir), file: absolute, dir, source: doc.source, secrets: filled.secrets, asWritten, where };
}

/** Service working directories are relative to the experiment file, so a file runs the same from anywhere. */
function resolvePaths(experiment: Experiment, dir: string): Experiment {
  const services = experiment.spec.services;
  if (services === undefined) return experiment;
  const resolved = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, isExternal(service) ? service : { ...service, cwd: resolve(dir, service.cwd ?? '.') }]));
  return { ...experiment, spec: { ...experiment.spec, services: resolved } };
}
