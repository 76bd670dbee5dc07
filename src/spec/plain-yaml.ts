// A fast reader for the plain YAML most experiment files are written in: block mappings and
// sequences, one-line flow collections, quoted and plain scalars, comments.
//
// Why it exists: the `yaml` package builds a full document with positions, and cold (as in every
// CLI run) it costs a few milliseconds per file, which alone would exceed the 300 ms budget for
// validating 100 files. Positions are only needed when something is wrong, so a valid file is read
// here, and the full parser runs only when a problem must be located.
//
// The contract is strict: return exactly what `yaml` (YAML 1.2, core schema) would produce, or
// undefined for anything outside the subset (anchors, tags, block scalars, multi-line scalars or
// flow collections, tabs, CRLF, duplicate keys, exotic numbers ...), and let `yaml` handle it.
// A differential test holds it to that.

const SPACE = 0x20;
const BLOCK_SCALAR_HEADER = /^([|>])(-?)(?: +#.*)?$/;
const TRAILING_SPACES = / +$/;
const OTHER_WHITE_SPACE = /[^\S ]/;

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

interface Line {
  indent: number;
  text: string;
  /** Index in the source's lines, which block scalars read directly (blank and "#" lines are content there). */
  raw: number;
}

/** Thrown to abandon the fast path; caught at the entry point only. */
class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

export function parsePlainYaml(source: string): Value | undefined {
  if (source.includes('\t') || source.includes('\r')) return undefined;
  const lines: Line[] = [];
  const rawLines = source.split('\n');
  for (let r = 0; r < rawLines.length; r++) {
    const raw = rawLines[r]!;
    let indent = 0;
    while (raw.charCodeAt(indent) === SPACE) indent++;
    const text = raw.slice(indent).replace(TRAILING_SPACES, '');
    if (text === '' || text.startsWith('#')) continue;
    // Only spaces indent and separate; any other white space (NBSP, form feed ...) is for the full parser.
    if (OTHER_WHITE_SPACE.test(text)) return undefined;
    if (indent === 0 && (text.startsWith('---') || text.startsWith('...') || text.startsWith('%'))) return undefined;
    lines.push({ indent, text, raw: r });
  }
  if (lines.length === 0) return undefined;
  try {
    const reader = new BlockReader(lines, rawLines);
    const value = reader.block(0, lines[0]!.indent);
    if (reader.next !== lines.length || !isMapping(value)) return undefined;
    return value;
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

function isMapping(v: Value): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

class BlockReader {
  /** Index of the first line not yet consumed. */
  next = 0;

  constructor(
    private readonly lines: Line[],
    private readonly rawLines: string[],
  ) {}

  /** The node whose first line is `lines[i]`, at `indent`. */
  block(i: number, indent: number): Value {
    const line = this.lines[i]!;
    if (line.indent !== indent) unsupported();
    if (isSequenceItem(line.text)) return this.sequence(i, indent);
    if (splitKey(line.text)) return this.mapping(i, indent);
    this.next = i + 1;
    this.noDeeperLine(indent);
    return inlineValue(line.text);
  }

  private mapping(i: number, indent: number): Value {
    const out: { [key: string]: Value } = {};
    while (i < this.lines.length && this.lines[i]!.indent === indent && !isSequenceItem(this.lines[i]!.text)) {
      const split = splitKey(this.lines[i]!.text) ?? unsupported();
      if (Object.prototype.hasOwnProperty.call(out, split.key)) unsupported();
      if (split.rest === '') out[split.key] = this.nested(i, indent, true);
      else if (split.rest[0] === '|' || split.rest[0] === '>') out[split.key] = this.blockScalar(i, indent, split.rest);
      else out[split.key] = this.inline(i, indent, split.rest);
      i = this.next;
    }
    this.next = i;
    this.noDeeperLine(indent);
    return out;
  }

  private sequence(i: number, indent: number): Value {
    const out: Value[] = [];
    while (i < this.lines.length && this.lines[i]!.indent === indent && isSequenceItem(this.lines[i]!.text)) {
      const line = this.lines[i]!;
      const after = line.text.slice(1);
      const content = after.trimStart();
      if (content === '') {
        out.push(this.nested(i, indent, false));
      } else {
        // "- key: v" opens a mapping whose keys line up with "key": read the item as if the dash were indentation.
        this.lines[i] = { indent: indent + 1 + (after.length - content.length), text: content, raw: line.raw };
        out.push(this.block(i, this.lines[i]!.indent));
      }
      i = this.next;
    }
    this.next = i;
    this.noDeeperLine(indent);
    return out;
  }

  /** The value of `key:` or `-` with nothing after it on the line: an indented block, or null. */
  private nested(i: number, indent: number, inMapping: boolean): Value {
    const following = this.lines[i + 1];
    if (following && following.indent > indent) return this.block(i + 1, following.indent);
    // A mapping's sequence value may start at the mapping's own indentation.
    if (inMapping && following && following.indent === indent && isSequenceItem(following.text)) return this.sequence(i + 1, indent);
    this.next = i + 1;
    return null;
  }

  /**
   * `key: |` or `key: >` (optionally with "-"), the common way to write a long description. Lines
   * indented more than the first one, leading blank lines and other indicators are left to the full parser.
   */
  private blockScalar(i: number, indent: number, header: string): Value {
    const m = BLOCK_SCALAR_HEADER.exec(header) ?? unsupported();
    const body: string[] = [];
    let contentIndent = -1;
    let r = this.lines[i]!.raw + 1;
    for (; r < this.rawLines.length; r++) {
      const line = this.rawLines[r]!;
      let spaces = 0;
      while (line.charCodeAt(spaces) === SPACE) spaces++;
      if (spaces === line.length) {
        if (contentIndent < 0 || spaces > contentIndent) unsupported();
        body.push('');
        continue;
      }
      if (spaces <= indent) break;
      if (contentIndent < 0) contentIndent = spaces;
      if (spaces !== contentIndent || line.endsWith(' ')) unsupported();
      body.push(line.slice(contentIndent));
    }
    while (body.at(-1) === '') body.pop();
    if (body.length === 0) unsupported();
    let next = i + 1;
    while (next < this.lines.length && this.lines[next]!.raw < r) next++;
    this.next = next;
    const text = m[1] === '|' ? body.join('\n') : fold(body);
    return m[2] === '-' ? text : `${text}\n`;
  }

  private inline(i: number, indent: number, text: string): Value {
    this.next = i + 1;
    this.noDeeperLine(indent);
    return inlineValue(text);
  }

  /** A deeper line after a complete node would be a continuation (multi-line scalar) or an error. */
  private noDeeperLine(indent: number): void {
    const following = this.lines[this.next];
    if (following && following.indent > indent) unsupported();
  }
}

/** Folded style: a single line break becomes a space, and n blank lines become n line breaks. */
function fold(lines: string[]): string {
  let out = lines[0]!;
  let blanks = 0;
  for (let k = 1; k < lines.length; k++) {
    if (lines[k] === '') {
      blanks++;
      continue;
    }
    out += blanks > 0 ? '\n'.repeat(blanks) : ' ';
    out += lines[k];
    blanks = 0;
  }
  return out;
}

/** `key: rest` (rest without its comment), or undefined when the line is not a mapping entry. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  const first = text[0];
  // A flow collection as a node ("- { probe: p }"); as a key it fails later, when ":" follows it.
  if (first === '{' || first === '[') return undefined;
  if (first === '"' || first === "'") {
    const scanner = new Scanner(text);
    const key = scanner.quoted();
    scanner.spaces();
    if (text[scanner.pos] !== ':' || !isBreak(text[scanner.pos + 1])) return undefined;
    return { key, rest: stripComment(text.slice(scanner.pos + 1)) };
  }
  const end = KEY_END.exec(text);
  if (!end || end[0] === ' #') return undefined;
  const raw = text.slice(0, end.index);
  if (!PLAIN_KEY.test(raw) || typeof resolvePlain(raw) !== 'string' || raw === '__proto__') unsupported();
  return { key: raw, rest: stripComment(text.slice(end.index + 1)) };
}

/** Where a plain key ends (": " or a final ":"), unless a comment starts first. */
const KEY_END = /:(?: |$)| #/;
/** Keys the fast path takes as they are; anything else (spaces, "<<", numbers written as keys) goes to the full parser. */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

function isBreak(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ';
}

/** Drops a trailing comment from text that starts after "key:"; quoted or flow content is left for the scanner. */
function stripComment(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('#')) return '';
  return trimmed;
}

function inlineValue(text: string): Value {
  const scanner = new Scanner(text);
  const value = scanner.node(false);
  scanner.end();
  return value;
}

const FLOW_END = new Set([',', ']', '}']);
/** Where a plain scalar ends: before a comment or ": ", and inside a flow collection also before ",[]{}" and ":,". */
const BLOCK_PLAIN_END = / #|:(?: |$)/g;
const FLOW_PLAIN_END = / #|:(?=[ ,\]}]|$)|[,[\]{}]/g;
const JSON_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);
const INDICATORS = new Set(['&', '*', '!', '|', '>', '%', '@', '`', '#', ',', '[', ']', '{', '}']);

class Scanner {
  pos = 0;

  constructor(private readonly text: string) {}

  spaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  /** Only spaces or a comment may follow a complete value. */
  end(): void {
    this.spaces();
    if (this.pos < this.text.length && this.text[this.pos] !== '#') unsupported();
    if (this.pos > 0 && this.text[this.pos] === '#' && this.text[this.pos - 1] !== ' ') unsupported();
  }

  node(flow: boolean): Value {
    this.spaces();
    const ch = this.text[this.pos];
    if (ch === '{') return this.flowMapping();
    if (ch === '[') return this.flowSequence();
    if (ch === '"' || ch === "'") return this.quoted();
    return this.plain(flow);
  }

  quoted(): string {
    const quote = this.text[this.pos]!;
    let i = this.pos + 1;
    let hasEscape = false;
    for (;;) {
      if (i >= this.text.length) unsupported(); // continues on the next line
      const ch = this.text[i];
      if (quote === '"' && ch === '\\') {
        hasEscape = true;
        i += 2;
        continue;
      }
      if (ch === quote) {
        if (quote === "'" && this.text[i + 1] === "'") {
          hasEscape = true;
          i += 2;
          continue;
        }
        break;
      }
      i++;
    }
    const body = this.text.slice(this.pos + 1, i);
    this.pos = i + 1;
    if (!hasEscape) return body;
    if (quote === "'") return body.replaceAll("''", "'");
    // JSON's escapes are a subset of YAML's; anything else (\x, \e, \N ...) is left to the full parser.
    for (let j = 0; j < body.length; j++) {
      if (body[j] === '\\') {
        if (!JSON_ESCAPES.has(body[j + 1] ?? '')) unsupported();
        j++;
      }
    }
    try {
      return JSON.parse(`"${body}"`) as string;
    } catch {
      return unsupported();
    }
  }

  private plain(flow: boolean): Value {
    const start = this.pos;
    const first = this.text[start];
    const second = this.text[start + 1];
    if (first === undefined || INDICATORS.has(first) || ((first === '-' || first === '?' || first === ':') && isBreak(second))) unsupported();
    const stop = flow ? FLOW_PLAIN_END : BLOCK_PLAIN_END;
    stop.lastIndex = start;
    const i = stop.exec(this.text)?.index ?? this.text.length;
    const raw = this.text.slice(start, i).trimEnd();
    this.pos = start + raw.length;
    // In block context "a: b" here would be a nested mapping on one line, which YAML rejects.
    if (!flow && this.text[i] === ':') unsupported();
    return resolvePlain(raw);
  }

  private flowMapping(): Value {
    const out: { [key: string]: Value } = {};
    this.pos++;
    this.spaces();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.spaces();
      const quotedKey = this.text[this.pos] === '"' || this.text[this.pos] === "'";
      const key = this.node(true);
      if (typeof key !== 'string' || (!quotedKey && !PLAIN_KEY.test(key)) || key === '__proto__') unsupported();
      this.spaces();
      // "key:" must be followed by a value; an implicit null ("{ a }" or "{ a: }") is left to the full parser.
      if (this.text[this.pos] !== ':') unsupported();
      this.pos++;
      if (!quotedKey && this.text[this.pos] !== ' ') unsupported();
      this.spaces();
      if (FLOW_END.has(this.text[this.pos] ?? ',')) unsupported();
      if (Object.prototype.hasOwnProperty.call(out, key)) unsupported();
      out[key] = this.node(true);
      if (this.separator('}')) return out;
    }
  }

  private flowSequence(): Value {
    const out: Value[] = [];
    this.pos++;
    this.spaces();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.node(true));
      this.spaces();
      if (this.text[this.pos] === ':') unsupported(); // a one-pair mapping inside a sequence
      if (this.separator(']')) return out;
    }
  }

  /** After a flow entry: true at the closing bracket, false after a comma followed by another entry. */
  private separator(close: string): boolean {
    this.spaces();
    const ch = this.text[this.pos];
    if (ch === close) {
      this.pos++;
      return true;
    }
    if (ch !== ',') unsupported();
    this.pos++;
    this.spaces();
    if (this.text[this.pos] === close || this.text[this.pos] === undefined) unsupported(); // trailing comma, or continues on the next line
    return false;
  }
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const DECIMAL = /^-?[0-9]+$/;
const FIXED = /^-?[0-9]+\.[0-9]+$/;
/** Numbers of the core schema this reader does not convert itself (octal, hex, exponents, +, .5, inf, nan). */
const OTHER_NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** A plain scalar under the YAML 1.2 core schema. */
function resolvePlain(raw: string): Value {
  if (NULL.test(raw)) return null;
  if (BOOL.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (DECIMAL.test(raw)) return parseInt(raw, 10);
  if (FIXED.test(raw)) return parseFloat(raw);
  if (OTHER_NUMBER.test(raw)) unsupported();
  return raw;
}
