// Escaping for XML and HTML text and attribute values.
import { printable } from '../domain/printable.js';

// XML 1.0 cannot carry these at all, not even as character references: lone surrogates and
// U+FFFE/U+FFFF (control characters are already made visible by printable()).
const FORBIDDEN = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in XML/HTML content and in single- or double-quoted attributes. Terminal escape
 * sequences are removed and other control characters, and characters XML cannot represent, are
 * shown as a visible "\u0007"-style code so that a probe's raw error stays readable.
 */
export function escapeXml(text: string): string {
  return printable(text)
    .replace(FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Like escapeXml, but keeps line breaks and tabs, which a parser would otherwise fold into spaces. */
export function escapeAttr(text: string): string {
  return escapeXml(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
