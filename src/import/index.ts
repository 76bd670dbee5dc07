// `faultline import`'s converters: which format a file is in, and its conversion. Pure: text in,
// drafts and findings out; reading and writing files is the CLI's (cli/import-command.ts).
import { InvalidInputError, type Diagnostic } from '../domain/errors.js';
import { CHAOS_MESH_API, convertChaosMesh } from './chaos-mesh.js';
import { convertChaosToolkit, looksLikeChaosToolkit } from './chaos-toolkit.js';
import type { Conversion } from './findings.js';
import { located, parseSourceDocuments, type SourceDocument } from './source-documents.js';
import { isRecord, nameFrom } from './values.js';

export { renderDraft } from './render-draft.js';
export { formatFinding, type Conversion, type Draft, type Finding } from './findings.js';

const EXPECTED = `expected a Chaos Toolkit experiment (an object with "title" and "method") or Chaos Mesh resources (apiVersion: ${CHAOS_MESH_API})`;

/**
 * Every document of a file, converted; `env` resolves Chaos Toolkit configuration read from the
 * environment where faultline cannot read it when it runs. Throws an InvalidInputError (exit 2) listing every document that cannot be. */
export function importText(text: string, file: string, env: Readonly<Record<string, string | undefined>> = {}): Conversion[] {
  const docs = parseSourceDocuments(text, file);
  if (docs.length === 0) throw located([{ file, line: 1, column: 1, path: '', message: `the file is empty: ${EXPECTED}` }]);
  const conversions: Conversion[] = [];
  const problems: Diagnostic[] = [];
  // One document is written under the source's own name; several, under their resources' names.
  const stem = docs.length === 1 ? fileStem(file) : undefined;
  for (const doc of docs) {
    try {
      conversions.push(convert(doc, stem, env));
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      problems.push(...e.diagnostics);
    }
  }
  if (problems.length > 0) throw located(problems);
  return conversions;
}

function fileStem(file: string): string {
  return nameFrom(file.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, ''), 'imported');
}

function convert(doc: SourceDocument, stem: string | undefined, env: Readonly<Record<string, string | undefined>>): Conversion {
  const data = doc.data;
  if (isRecord(data) && data.apiVersion === CHAOS_MESH_API) return convertChaosMesh(doc, stem);
  if (looksLikeChaosToolkit(data)) return convertChaosToolkit(doc, stem ?? `experiment-${doc.index + 1}`, env);
  throw located([{ file: doc.file, ...doc.at([]), path: '', message: `unknown format: ${EXPECTED}; found ${describe(data)}` }]);
}

function describe(data: unknown): string {
  if (Array.isArray(data)) return `a list of ${data.length}`;
  if (!isRecord(data)) return `the value ${JSON.stringify(data)}`;
  if (data.apiVersion !== undefined || data.kind !== undefined) return `apiVersion ${JSON.stringify(data.apiVersion)}, kind ${JSON.stringify(data.kind)}`;
  const keys = Object.keys(data);
  return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}`;
}
