// The one pipeline every faultline file goes through, whatever its kind: read, parse once, check
// against the kind's zod schema, run the kind's cross-field checks, and turn every problem into
// file:line:col. Experiments and schedules differ only in the schema and the checks they pass in.
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { InvalidInputError, formatDiagnostic, type Diagnostic } from '../domain/errors.js';
import { decodeText } from './decode-text.js';
import { MAX_FILE_BYTES, formatBytes } from './input-limits.js';
import { formatPath, type Problem } from './problem.js';
import { problemsFromIssues, type SchemaIssue } from './schema-problems.js';
import { looksLikeJson, parseSource } from './source-document.js';

/** Beyond this many, more problems are summarised in one line: the first ones are what a user fixes first. */
export const MAX_DIAGNOSTICS = 20;

/** A file read and parsed once: its data, and where each of its problems is. */
export interface ParsedDocument {
  /** The file as named by the caller (messages use this form). */
  file: string;
  /** The text as read, without a byte-order mark. */
  source: string;
  data: unknown;
  locate: (problems: readonly Problem[]) => Diagnostic[];
}

/** `noun` names what the file should be, for the message when it is a directory: "an experiment". */
export function readDocumentFile(file: string, noun: string): string {
  return textOf(readBytes(file, noun), file);
}

/** The text of a file's bytes, or an InvalidInputError saying what the file is instead (binary, UTF-16...). */
export function textOf(bytes: Uint8Array, file: string): string {
  const decoded = decodeText(bytes);
  if (decoded.ok) return decoded.text;
  throw invalid([{ file, ...(decoded.line !== undefined ? { line: decoded.line, column: decoded.column! } : {}), path: '', message: decoded.message }]);
}

function readBytes(file: string, noun: string): Buffer {
  try {
    // An oversized file (a log, a disk image passed by mistake) is refused without reading it.
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) throw invalid([{ file, path: '', message: `the file is ${formatBytes(size)}; a faultline file is at most ${formatBytes(MAX_FILE_BYTES)} (is this the right file?)` }]);
    // Synchronous on purpose: the file is small and read before anything runs, and one blocking read
    // is several times faster than the thread-pool round trips of fs/promises when validating 100 files.
    return readFileSync(file);
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw invalid([{ path: '', message: `file not found: ${file}` }]);
    if (code === 'EISDIR') throw invalid([{ path: '', message: `${file} is a directory, not ${noun} file (pass the .yaml or .json file itself)` }]);
    if (code === 'EACCES' || code === 'EPERM') throw invalid([{ path: '', message: `cannot read ${file}: permission denied` }]);
    throw invalid([{ path: '', message: `cannot read ${file}: ${(err as Error).message}` }]);
  }
}

/** Parses YAML or JSON text; `file` names it in messages. Throws an InvalidInputError for a syntax error. */
export function parseDocumentText(text: string, file: string): ParsedDocument {
  if (text.length > MAX_FILE_BYTES) throw invalid([{ file, path: '', message: `the text is ${formatBytes(text.length)}; a faultline file is at most ${formatBytes(MAX_FILE_BYTES)}` }]);
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = parseSource(source, looksLikeJson(source, file));
  if (!parsed.ok) throw invalid(parsed.problems.map((p) => ({ file, line: p.line, column: p.column, path: '', message: p.message })));
  const locate = (problems: readonly Problem[]): Diagnostic[] =>
    problems.map((p) => ({ file, ...parsed.locate(p.path, p.atKey), path: formatPath(p.path), message: p.message }));
  return { file, source, data: parsed.data, locate };
}

/**
 * The document's data as `schema`'s output, once `checks` (which see only schema-valid data) find
 * nothing. When the schema fails, `partialChecks` may add what the checks can say about the parts
 * that passed, so that one pass reports both kinds of problem.
 */
export function checkDocument<S extends z.ZodType>(doc: ParsedDocument, schema: S, checks: (value: z.output<S>) => Problem[], partialChecks?: (data: unknown) => Problem[]): z.output<S> {
  const result = schema.safeParse(doc.data);
  if (!result.success) {
    const problems = problemsFromIssues(result.error.issues as unknown as SchemaIssue[], schema, doc.data);
    throw invalid(doc.locate([...problems, ...(partialChecks?.(doc.data) ?? [])]));
  }
  const problems = checks(result.data);
  if (problems.length > 0) throw invalid(doc.locate(problems));
  return result.data;
}

/** Every problem, once each, in the order of the file; the first MAX_DIAGNOSTICS of them and a count of the rest. */
export function invalid(diagnostics: Diagnostic[]): InvalidInputError {
  const seen = new Set<string>();
  const unique = diagnostics.map((d) => ({ ...d, message: printable(d.message), path: printable(d.path) })).filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.path}:${d.message}`;
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

/**
 * Control characters escaped as \u{1b}: a message may quote a key or value from the file, and a
 * file's escape sequences must not reach (and repaint) the user's terminal or a CI log.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}
