// Secrets never leave faultline: values read from the environment with ${env:NAME}, and anything
// that looks like a credential (URL passwords, bearer tokens, token-like query parameters and
// header values, well-known key shapes), are replaced before a string is logged or written.

export type Redactor = (text: string) => string;

export const MASK = '***';

const SECRET_KEY = /authorization|cookie|token|secret|passw(or)?d|api[-_]?key|credential|private[-_]?key/i;

const PATTERNS: [RegExp, string][] = [
  [/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^@\s/]+@/gi, `$1:${MASK}@`],
  [/([?&](?:access_token|token|key|api_key|apikey|secret|password|passwd|sig|signature)=)[^&\s"'#]+/gi, `$1${MASK}`],
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${MASK}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, MASK],
  [/\b(gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9]{20,})\b/g, MASK],
];

export function createRedactor(secrets: readonly string[]): Redactor {
  // Longest first, so a secret that contains another is masked whole. Very short values would
  // mask ordinary text everywhere; they are still masked where they sit under a secret-like key.
  const values = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const v of values) if (out.includes(v)) out = out.split(v).join(MASK);
    for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
    return out;
  };
}

/** A deep copy with every string redacted and every value under a secret-like key masked. */
export function redactValue<T>(value: T, redact: Redactor): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key !== undefined && SECRET_KEY.test(key) && v !== '' ? MASK : redact(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}
