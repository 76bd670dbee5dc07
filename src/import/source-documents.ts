// The documents of a file to import, parsed with the `yaml` package keeping positions (JSON is
// YAML), so that every message about what was or was not imported can say file:line:col. A file
// may hold several YAML documents ("---"): Chaos Mesh manifests often do.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { InvalidInputError, formatDiagnostic, type Diagnostic } from '../domain/errors.js';
import type { PathSegment } from './findings.js';

export interface Position {
  line: number;
  column: number;
}

export interface SourceDocument {
  file: string;
  /** 0 for the first document of the file. */
  index: number;
  data: unknown;
  /** Where the value at `path` is, or the deepest part of it that exists. */
  at(path: readonly PathSegment[]): Position;
}

/** Every non-empty document of `text`; a syntax error is bad input, located. */
export function parseSourceDocuments(text: string, file: string): SourceDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const position = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const errors: Diagnostic[] = list.flatMap((d) => d.errors.map((e) => ({ file, ...position(e.pos[0]), path: '', message: `invalid YAML or JSON: ${e.message.split('\n')[0]}` })));
  if (errors.length > 0) throw located(errors);
  return list
    .filter((d) => d.contents !== null)
    .map((doc, index) => ({ file, index, data: doc.toJS({ maxAliasCount: 1000 }), at: (path) => position(offsetOf(doc, path)) }));
}

/** An InvalidInputError whose message is the located diagnostics, one a line. */
export function located(diagnostics: Diagnostic[]): InvalidInputError {
  const error = new InvalidInputError(diagnostics.map(formatDiagnostic).join('\n'), diagnostics);
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

function offsetOf(doc: Document, path: readonly PathSegment[]): number {
  let node: unknown = doc.contents;
  let offset = start(node) ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return offset;
      if (pair.value === null || pair.value === undefined) return start(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
    } else {
      return offset;
    }
    offset = start(node) ?? offset;
  }
  return offset;
}

function start(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
