// Turns zod issues into located, readable problems: "expected X, found Y" with the document path,
// unknown keys pointed at themselves with a suggestion, missing keys reported on their parent,
// and unions explained through the branch the user evidently meant.
import type { z } from 'zod';
import { BRANCH_MARKER } from '../domain/schema-helpers.js';
import { closest } from '../domain/suggest.js';
import { bestOption, keysAt, objectKeys, schemaAt, unionOptions } from './schema-walk.js';
import { describeValue, isPlainObject, valueAt, type PathSegment, type Problem } from './problem.js';

/** The parts of a zod 4 issue this module reads; kept structural so zod internals stay out of the API. */
export interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: SchemaIssue[][];
  issues?: SchemaIssue[];
  expected?: string;
  values?: unknown[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  format?: string;
  pattern?: string;
}

export function problemsFromIssues(issues: readonly SchemaIssue[], root: z.ZodType, data: unknown, base: readonly PathSegment[] = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    out.push(...problemsFromIssue(issue, path, root, data));
  }
  return out;
}

function problemsFromIssue(issue: SchemaIssue, path: PathSegment[], root: z.ZodType, data: unknown): Problem[] {
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return (issue.keys ?? []).map((key) => unknownKey(key, path, root, data, value));
    case 'invalid_union':
      return unionProblems(issue, path, root, data, value);
    case 'invalid_key':
      return [{ path, atKey: true, message: `invalid name ${JSON.stringify(path.at(-1))}: ${(issue.issues ?? []).map((i) => messageFor(i, path.at(-1))).join('; ')}` }];
    case 'invalid_type': {
      const parent = path.slice(0, -1);
      const key = path.at(-1);
      if (value === undefined && typeof key === 'string' && isPlainObject(valueAt(data, parent))) {
        return [{ path: parent, message: `missing required key "${key}"` }];
      }
      return [{ path, message: messageFor(issue, value) }];
    }
    default:
      return [{ path, message: messageFor(issue, value) }];
  }
}

function unknownKey(key: string, path: PathSegment[], root: z.ZodType, data: unknown, value: unknown): Problem {
  const { allowed, alternatives } = keysAt(root, path, data, value);
  const at = [...path, key];
  if (alternatives.includes(key)) {
    const options = unionOptions(schemaAt(root, path, data)!) ?? [];
    const shared = allowed.filter((k) => options.every((o) => objectKeys(o)?.includes(k)));
    const mine = allowed.filter((k) => !shared.includes(k) && isPlainObject(value) && k in value);
    return { path: at, atKey: true, message: `"${key}" cannot be combined with ${mine.map((k) => `"${k}"`).join(' and ')}: they are alternatives, use one per entry` };
  }
  const guess = closest(key, [...allowed, ...alternatives]);
  const hint = guess ? `, did you mean "${guess}"?` : allowed.length ? ` (allowed here: ${allowed.join(', ')})` : '';
  return { path: at, atKey: true, message: `unknown key "${key}"${hint}` };
}

function unionProblems(issue: SchemaIssue, path: PathSegment[], root: z.ZodType, data: unknown, value: unknown): Problem[] {
  const branches = issue.errors ?? [];
  if (issue.message.startsWith(BRANCH_MARKER)) {
    const index = Number(issue.message.slice(BRANCH_MARKER.length));
    return problemsFromIssues(branches[index] ?? [], root, data, path);
  }
  if (!isDefaultMessage(issue.message)) {
    // A keyed union's own explanation (unknown kind, two kinds): point at the unknown key if there is one.
    const schema = schemaAt(root, path, data);
    const options = schema ? unionOptions(schema) ?? [] : [];
    const known = new Set(options.flatMap((o) => objectKeys(o) ?? []));
    const stray = isPlainObject(value) ? Object.keys(value).find((k) => !known.has(k)) : undefined;
    if (stray !== undefined) return [{ path: [...path, stray], atKey: true, message: issue.message }];
    if (typeof value === 'string' && known.has(value)) return [{ path, message: `"${value}" needs its settings as a mapping, e.g. "${value}: { ... }"` }];
    return [{ path, message: isPlainObject(value) ? issue.message : `${issue.message} (found ${describeValue(value)})` }];
  }
  const schema = schemaAt(root, path, data);
  const options = schema ? unionOptions(schema) ?? [] : [];
  const typeMatches = branches.map((_, i) => i).filter((i) => !(branches[i] ?? []).some((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value')));
  if (isPlainObject(value) && typeMatches.length > 0) {
    const candidates = typeMatches.map((i) => options[i]!).filter(Boolean);
    const fits = candidates.some((o) => (objectKeys(o) ?? []).some((k) => k in value));
    if (fits) return problemsFromIssues(branches[typeMatches[bestOption(candidates, value)]!] ?? [], root, data, path);
  } else if (typeMatches.length === 1) {
    return problemsFromIssues(branches[typeMatches[0]!] ?? [], root, data, path);
  }
  return [{ path, message: `expected ${describeAlternatives(branches, options)}, found ${describeValue(value)}` }];
}

function describeAlternatives(branches: SchemaIssue[][], options: z.ZodType[]): string {
  const words = branches.map((errs, i) => {
    const keys = options[i] ? objectKeys(options[i]!) : undefined;
    if (keys) return `an object with ${keys.map((k) => `"${k}"`).join(', ')}`;
    const top = errs.find((e) => e.path.length === 0);
    if (top?.code === 'invalid_value') return (top.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
    if (top?.code === 'invalid_type') return typeName(top.expected);
    return 'another form';
  });
  const unique = [...new Set(words)];
  return unique.length > 1 ? `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}` : unique[0] ?? 'another value';
}

const DEFAULT_PREFIXES = ['Invalid input', 'Invalid option', 'Invalid string', 'Invalid URL', 'Invalid ', 'Too small', 'Too big', 'Unrecognized key'];

function isDefaultMessage(message: string): boolean {
  return DEFAULT_PREFIXES.some((p) => message.startsWith(p));
}

function typeName(expected: string | undefined): string {
  const names: Record<string, string> = {
    object: 'an object', record: 'an object', array: 'a list', string: 'a string', number: 'a number', int: 'an integer',
    boolean: 'true or false', nonoptional: 'a value',
  };
  return names[expected ?? ''] ?? expected ?? 'another value';
}

function messageFor(issue: SchemaIssue, value: unknown): string {
  const found = `found ${describeValue(value)}`;
  const custom = !isDefaultMessage(issue.message);
  const withFound = (m: string) => (m.includes('found') ? m : `${m} (${found})`);
  switch (issue.code) {
    case 'invalid_type':
      return custom ? withFound(issue.message) : `expected ${typeName(issue.expected)}, ${found}`;
    case 'invalid_value': {
      if (custom) return withFound(issue.message);
      const values = issue.values ?? [];
      const guess = typeof value === 'string' ? closest(value, values.filter((v): v is string => typeof v === 'string')) : undefined;
      const expected = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
      return `expected ${expected}, ${found}${guess ? `; did you mean "${guess}"?` : ''}`;
    }
    case 'too_small':
    case 'too_big':
      return custom ? withFound(issue.message) : `expected ${bound(issue)}, ${found}`;
    case 'invalid_format':
      if (custom) return withFound(issue.message);
      return `expected ${issue.format === 'url' ? 'an absolute URL, e.g. "http://127.0.0.1:8080/health"' : issue.format === 'regex' ? `text matching ${issue.pattern}` : `a valid ${issue.format}`}, ${found}`;
    case 'custom':
      // Refinements on a scalar ("the port must be between 1 and 65535") read better with the value.
      return isScalar(value) && !issue.message.includes('found') && !issue.message.includes(String(value)) ? `${issue.message} (${found})` : issue.message;
    default:
      return issue.message;
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function bound(issue: SchemaIssue): string {
  const small = issue.code === 'too_small';
  const n = Number(small ? issue.minimum : issue.maximum);
  const exclusive = issue.inclusive === false;
  switch (issue.origin) {
    case 'array':
      return small ? `at least ${exclusive ? n + 1 : n} item${n === 1 && !exclusive ? '' : 's'}` : `at most ${exclusive ? n - 1 : n} items`;
    case 'string':
      if (small && n === 1) return 'a non-empty string';
      return small ? `at least ${n} characters` : `at most ${n} characters`;
    default:
      return `a number ${small ? (exclusive ? '>' : '>=') : exclusive ? '<' : '<='} ${n}`;
  }
}
