// Text from the world (probe errors, service output, messages, names) made safe to show to a
// person: in a terminal, a CI log, Markdown, JUnit, HTML or a plan. The one place that decides.
import { stripVTControlCharacters } from 'node:util';

// After terminal escape sequences are gone: C0 controls except tab and newline, DEL, and C1
// controls. A lone carriage return would let a line overwrite itself in a terminal or a CI log;
// BEL rings; C1's CSI (U+009B) starts an escape sequence on some terminals.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Terminal escape sequences (colours, cursor moves, OSC titles and links) are removed, since they
 * only style text; every other control character is shown as a visible code ("\u0007"), so a
 * probe's raw error stays readable and nothing is silently lost. CRLF line ends become "\n".
 */
export function printable(text: string): string {
  return stripVTControlCharacters(text.replace(/\r\n/g, '\n')).replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Like printable, but the sequences `keep` matches (e.g. our own colour codes) pass through unchanged. */
export function printableExcept(text: string, keep: RegExp): string {
  const global = new RegExp(keep.source, keep.flags.includes('g') ? keep.flags : `${keep.flags}g`);
  let out = '';
  let from = 0;
  for (const m of text.matchAll(global)) {
    out += printable(text.slice(from, m.index)) + m[0];
    from = m.index + m[0].length;
  }
  return out + printable(text.slice(from));
}

/** A deep copy with every string made printable: a journal ready for any human-facing renderer. */
export function printableValue<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return printable(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [printable(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
