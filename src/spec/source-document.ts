// Parses YAML or JSON text (JSON is YAML) into plain data with the `yaml` package, keeping the
// parsed document, so that any problem found later (by the schema or the reference checks) can be
// pointed at file:line:col. One parser for every file: a second, faster one would be a second
// place for a file to be read differently.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { TOO_DEEP, tooDeepAt } from './input-limits.js';
import type { PathSegment } from './problem.js';

export interface Position {
  line: number;
  column: number;
}

export interface SyntaxProblem extends Position {
  message: string;
}

export type ParsedSource =
  | { ok: true; data: unknown; locate: (path: readonly PathSegment[], atKey?: boolean) => Position }
  | { ok: false; problems: SyntaxProblem[] };

/** JSON for a .json file, YAML for .yaml/.yml, and for any other name (stdin, .txt) JSON if it starts with "{". */
export function looksLikeJson(text: string, file: string): boolean {
  const name = file.toLowerCase();
  if (name.endsWith('.json')) return true;
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return false;
  return text.trimStart().startsWith('{');
}

/** `json` only chooses the words of a syntax error: a JSON file's are JSON's. */
export function parseSource(text: string, json: boolean): ParsedSource {
  const lines = new LineCounter();
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const deep = tooDeepAt(text);
  if (deep !== undefined) return { ok: false, problems: [{ ...positionIn(text, deep), message: TOO_DEEP }] };
  // Merge keys let users share fault or probe defaults with `<<: *defaults`.
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const jsonProblem = json ? jsonSyntaxProblem(text) : undefined;
    if (jsonProblem) return { ok: false, problems: [jsonProblem] };
    // A tab used for indentation makes the parser misread everything after it; the tab is the story.
    const tabs = doc.errors.filter((e) => e.code === 'TAB_AS_INDENT');
    const errors = tabs.length > 0 ? tabs : doc.errors;
    return { ok: false, problems: errors.map((e) => ({ ...at(e.pos[0]), message: readableYamlError(e.code, e.message, text.slice(e.pos[0])) })) };
  }
  if (doc.contents === null) return { ok: false, problems: [{ line: 1, column: 1, message: 'the file is empty: expected an experiment or a schedule (apiVersion: faultline/v1, kind: Experiment or Schedule, metadata, spec)' }] };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    const badAlias = unresolvedAlias(doc);
    if (badAlias) return { ok: false, problems: [{ ...at(badAlias.offset), message: `unknown alias "*${badAlias.name}": no anchor "&${badAlias.name}" is defined before it` }] };
    return { ok: false, problems: [{ line: 1, column: 1, message: (err as Error).message }] };
  }
  return { ok: true, data, locate: (path, atKey) => at(offsetOf(doc, path, atKey ?? false)) };
}

/**
 * JSON's own account of a syntax error in a JSON file, which names what JSON expected; undefined
 * when JSON.parse accepts the text (the YAML error is then the one to report, e.g. a duplicate key).
 */
function jsonSyntaxProblem(text: string): SyntaxProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const pos = /at position (\d+)/.exec((err as Error).message);
    const offset = pos ? Number(pos[1]) : text.length;
    const message = (err as Error).message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^Unexpected end of JSON input$/, 'the JSON ends too early (an unclosed { or [ ?)');
    return { ...positionIn(text, offset), message: `invalid JSON: ${message}` };
  }
}

/** Line and column of an offset, for text the YAML parser has not seen (so has no line index for). */
function positionIn(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** `rest` is the source from the error's offset on. */
function readableYamlError(code: string, message: string, rest: string): string {
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = /^\s*("[^"]*"|'[^']*'|[^:,{}\n]*)/.exec(rest)?.[1]?.trim().replace(/^["']|["']$/g, '');
      return key ? `duplicate key "${key}": a key may appear only once in a mapping` : 'duplicate key: a key may appear only once in a mapping';
    }
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document ("---"): an experiment file holds exactly one';
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation: YAML indents with spaces only';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return `${message} (a value that contains ": " must be quoted)`;
    default:
      return `invalid YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
  }
}

function unresolvedAlias(doc: Document): { name: string; offset: number } | undefined {
  let found: { name: string; offset: number } | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) === undefined) {
        found = { name: node.source, offset: node.range?.[0] ?? 0 };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** The offset of the node at `path`, or of the deepest ancestor that exists (e.g. for a missing key). */
function offsetOf(doc: Document, path: readonly PathSegment[], atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return offset;
      if (last && atKey) return rangeStart(pair.key) ?? offset;
      // `key:` with nothing after it has no value node; the key is the best place to point.
      if (pair.value === null || pair.value === undefined) return rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return offset;
      node = item;
    } else {
      return offset;
    }
    offset = rangeStart(node) ?? offset;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
