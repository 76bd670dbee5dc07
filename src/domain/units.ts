// Durations ("250ms", "30s", "2m", "1h", "1m30s") and percentages ("99.9%") as they appear in
// experiment files. Pure parsing so that the schema, the scheduler and the CLI agree on one grammar.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Milliseconds for a duration string, or an explanation of why it is not one. */
export function parseDuration(text: string): number | { error: string } {
  const s = text.trim();
  if (s.startsWith('-')) return { error: `a duration cannot be negative (found "${text}")` };
  if (!DURATION.test(s)) {
    if (/^\d+(\.\d+)?$/.test(s)) return { error: `"${text}" has no unit: write e.g. "${s}ms" or "${s}s"` };
    return { error: `"${text}" is not a duration: use a number and a unit (ms, s, m, h, d), e.g. "250ms", "30s", "2m"` };
  }
  let total = 0;
  for (const m of s.matchAll(PART)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total);
}

/**
 * A duration as people write it, the one form every output uses: "0.50ms", "250ms", "1.50s", and
 * from a minute on hours, minutes and seconds, zeros left out: "1m30s", "48h", "48h2s" (hours, not days: "for: 48h" reads back as written).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a < 1) return `${sign}${a.toFixed(2)}ms`;
  if (a < 1000) return `${sign}${Number.isInteger(a) ? a : a.toFixed(1)}ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a % 1000 === 0 ? 0 : 2)}s`;
  let rest = Math.round(a / 1000);
  let out = '';
  for (const [unit, seconds] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / seconds);
    rest -= n * seconds;
    if (n) out += `${n}${unit}`;
  }
  return `${sign}${out}`;
}

/** A percentage as a number in [0, 100]: "99.9%" -> 99.9. Bare numbers are accepted as percent too. */
export function parsePercent(text: string | number): number | { error: string } {
  const n = typeof text === 'number' ? text : Number(String(text).trim().replace(/%$/, ''));
  if (!Number.isFinite(n)) return { error: `"${text}" is not a percentage: write e.g. "99.9%"` };
  if (n < 0 || n > 100) return { error: `a percentage must be between 0% and 100% (found ${text})` };
  return n;
}

/** Bytes per second from "1mbit", "512kbit", "10MB", "100KiB" or a bare number of bytes. */
export function parseRate(text: string | number): number | { error: string } {
  if (typeof text === 'number') return text > 0 ? text : { error: `a rate must be positive (found ${text})` };
  const m = /^(\d+(?:\.\d+)?)\s*(b|bit|kbit|mbit|gbit|B|KB|MB|GB|KiB|MiB|GiB)?(?:ps|\/s)?$/.exec(text.trim());
  if (!m) return { error: `"${text}" is not a rate: write e.g. "1mbit", "512kbit", "10MB" (per second)` };
  const n = Number(m[1]);
  const unit = m[2] ?? 'B';
  const factor: Record<string, number> = {
    b: 1 / 8, bit: 1 / 8, kbit: 1000 / 8, mbit: 1e6 / 8, gbit: 1e9 / 8,
    B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3,
  };
  const bytes = n * factor[unit]!;
  return bytes > 0 ? bytes : { error: `a rate must be positive (found "${text}")` };
}

/** "host:port" (IPv6 hosts in brackets) split into its parts; the schema has already checked the form. */
export function parseAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}
