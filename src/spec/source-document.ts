// Parses YAML or JSON text into plain data while keeping the parsed document, so that any
// problem found later (by the schema or the reference checks) can be pointed at file:line:col.
// The full YAML document is expensive, so it is built only when needed: valid JSON is read with
// JSON.parse (whose messages also explain JSON syntax errors) and plain YAML with parsePlainYaml;
// the document is built for anything else, or the first time a problem must be located.
import { createRequire } from 'node:module';
import type * as YamlLibrary from 'yaml';
import type { Document, Node } from 'yaml';
import { parsePlainYaml } from './plain-yaml.js';
import type { PathSegment } from './problem.js';

let yamlLibrary: typeof YamlLibrary | undefined;
/** Loaded on first use: reading valid plain YAML or JSON never needs it, and it costs more to load than to skip. */
function yaml(): typeof YamlLibrary {
  return (yamlLibrary ??= createRequire(import.meta.url)('yaml') as typeof YamlLibrary);
}

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

export function parseSource(text: string, json: boolean): ParsedSource {
  if (json) {
    const fast = parseJson(text);
    if (fast) return fast;
    return parseYaml(text);
  }
  const plain = parsePlainYaml(text);
  return plain === undefined ? parseYaml(text) : { ok: true, data: plain, locate: lazyLocate(text) };
}

/** Positions for text read by a fast path: the YAML document is built the first time one is needed. */
function lazyLocate(text: string): (path: readonly PathSegment[], atKey?: boolean) => Position {
  let located: ParsedSource | undefined;
  return (path, atKey) => {
    located ??= parseYaml(text);
    return located.ok ? located.locate(path, atKey) : { line: 1, column: 1 };
  };
}

/**
 * JSON.parse is some fifty times faster than building a YAML document, and a valid file never needs
 * positions; so JSON is parsed with it and the YAML document is built only if a problem must be located.
 * Returns undefined when the YAML parser must handle the text (it reports duplicate keys).
 */
function parseJson(text: string): ParsedSource | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [jsonSyntaxProblem(err as Error, text)] };
  }
  if (hasDuplicateJsonKey(text)) return undefined;
  return { ok: true, data, locate: lazyLocate(text) };
}

function parseYaml(text: string): ParsedSource {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // Merge keys let users share fault or probe defaults with `<<: *defaults`.
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // A tab used for indentation makes the parser misread everything after it; the tab is the story.
    const tabs = doc.errors.filter((e) => e.code === 'TAB_AS_INDENT');
    const errors = tabs.length > 0 ? tabs : doc.errors;
    return { ok: false, problems: errors.map((e) => ({ ...at(e.pos[0]), message: readableYamlError(e.code, e.message, text.slice(e.pos[0])) })) };
  }
  if (doc.contents === null) return { ok: false, problems: [{ line: 1, column: 1, message: 'the file is empty: expected an experiment (apiVersion: faultline/v1, kind: Experiment, metadata, spec)' }] };

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

/** Whether any object in already-valid JSON text repeats a key (JSON.parse silently keeps the last). */
function hasDuplicateJsonKey(text: string): boolean {
  const scopes: (Set<string> | null)[] = [];
  const structure = /[{}[\]"]/g;
  for (let m = structure.exec(text); m; m = structure.exec(text)) {
    const ch = m[0];
    if (ch === '{') scopes.push(new Set());
    else if (ch === '[') scopes.push(null);
    else if (ch === '}' || ch === ']') scopes.pop();
    else {
      const start = m.index;
      let end = text.indexOf('"', start + 1);
      while (isEscaped(text, end)) end = text.indexOf('"', end + 1);
      structure.lastIndex = end + 1;
      const keys = scopes[scopes.length - 1];
      COLON_AFTER_SPACE.lastIndex = end + 1;
      if (!keys || !COLON_AFTER_SPACE.test(text)) continue;
      const raw = text.slice(start + 1, end);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (keys.has(key)) return true;
      keys.add(key);
    }
  }
  return false;
}

const COLON_AFTER_SPACE = /\s*:/y;

/** A quote preceded by an odd number of backslashes is part of the string. */
function isEscaped(text: string, quote: number): boolean {
  let n = 0;
  for (let i = quote - 1; text[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function jsonSyntaxProblem(err: Error, text: string): SyntaxProblem {
  const pos = /at position (\d+)/.exec(err.message);
  const offset = pos ? Number(pos[1]) : text.length;
  const message = err.message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^Unexpected end of JSON input$/, 'the JSON ends too early (an unclosed { or [ ?)');
  return { ...positionIn(text, offset), message: `invalid JSON: ${message}` };
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
  const { visit } = yaml();
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
  return yaml().isScalar(key) ? String(key.value) : undefined;
}

/** The offset of the node at `path`, or of the deepest ancestor that exists (e.g. for a missing key). */
function offsetOf(doc: Document, path: readonly PathSegment[], atKey: boolean): number {
  const { isAlias, isMap, isPair, isSeq } = yaml();
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
