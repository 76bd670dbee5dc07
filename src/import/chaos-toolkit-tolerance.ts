// A Chaos Toolkit tolerance as what a faultline probe expects. Only where faultline checks the
// same thing: an HTTP status, a list or range of them, a regular expression on the body or on
// standard output, a JSON path into the body, an exit code. Anything else is not imported, with
// the reason.
import { parseJsonPath } from '../domain/json-path.js';

export type Expectation = { ok: true; set: Record<string, unknown>; text: string } | { ok: false; reason: string };

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function regex(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return undefined;
  try {
    new RegExp(pattern);
    return pattern;
  } catch {
    return undefined;
  }
}

function rangeOf(tolerance: Record<string, unknown>): [number, number] | undefined {
  const r = tolerance.range;
  return Array.isArray(r) && r.length === 2 && isInt(r[0]) && isInt(r[1]) && r[0] <= r[1] ? [r[0], r[1]] : undefined;
}

/** For an http probe: `expect.status` or `expect.body`. */
export function httpExpectation(tolerance: unknown): Expectation {
  if (tolerance === undefined) return { ok: true, set: {}, text: 'no tolerance: any 2xx answer passes' };
  if (isInt(tolerance)) return { ok: true, set: { status: tolerance }, text: `tolerance ${tolerance} → expect.status ${tolerance}` };
  if (Array.isArray(tolerance) && tolerance.length > 0 && tolerance.every(isInt)) return { ok: true, set: { status: tolerance }, text: `tolerance ${JSON.stringify(tolerance)} → expect.status ${JSON.stringify(tolerance)}` };
  if (typeof tolerance === 'object' && tolerance !== null && !Array.isArray(tolerance)) {
    const t = tolerance as Record<string, unknown>;
    if (t.type === 'range' && (t.target === undefined || t.target === 'status')) {
      const r = rangeOf(t);
      if (r && r[0] >= 100 && r[1] <= 599) {
        const codes = Array.from({ length: r[1] - r[0] + 1 }, (_, i) => r[0] + i);
        return { ok: true, set: { status: codes.length === 1 ? codes[0] : codes }, text: `range tolerance [${r[0]}, ${r[1]}] → expect.status, each code of the range` };
      }
      return { ok: false, reason: 'a range tolerance on an http probe is imported for status codes [lo, hi] between 100 and 599 only' };
    }
    if (t.type === 'regex' && (t.target === undefined || t.target === 'body')) {
      const p = regex(t.pattern);
      return p === undefined ? { ok: false, reason: `the pattern ${JSON.stringify(t.pattern)} is not a regular expression JavaScript reads the same way` } : { ok: true, set: { body: p }, text: `regex tolerance → expect.body ${JSON.stringify(p)}` };
    }
    if (t.type === 'jsonpath') return jsonPathExpectation(t);
    return { ok: false, reason: `a ${String(t.type ?? 'custom')} tolerance${t.target !== undefined ? ` on ${String(t.target)}` : ''}: faultline's http probe checks the status and the body` };
  }
  if (typeof tolerance === 'boolean' || typeof tolerance === 'string') return { ok: false, reason: `tolerance ${JSON.stringify(tolerance)}: Chaos Toolkit compares it with the whole HTTP result; faultline checks the status and the body` };
  return { ok: false, reason: `tolerance ${JSON.stringify(tolerance)} has no faultline equivalent` };
}

/**
 * Chaos Toolkit's jsonpath tolerance (chaoslib/hypothesis.py): the values the path selects; at
 * least one, or exactly `count`; with `expect`, they equal [expect] (or expect, a list). On an http
 * probe it reads the body with `target: body`, and the whole {status, headers, body} result
 * without a target, where only paths under $.body reach the body. faultline's paths select at most
 * one value, so a count above 1 or a longer expect list could never hold there either.
 */
function jsonPathExpectation(t: Record<string, unknown>): Expectation {
  if (typeof t.path !== 'string') return { ok: false, reason: 'a jsonpath tolerance without a path' };
  let path = t.path;
  if (t.target === undefined) {
    if (!/^\$\.body(?=$|[.[])/.test(path)) return { ok: false, reason: `a jsonpath tolerance without target (${JSON.stringify(path)}) reads Chaos Toolkit's whole HTTP result, not the body; faultline checks paths into the body (target: body, or a path under $.body)` };
    path = `$${path.slice('$.body'.length)}`;
  } else if (t.target !== 'body') return { ok: false, reason: `a jsonpath tolerance on ${String(t.target)}: faultline's http probe checks paths into the body` };
  const steps = parseJsonPath(path);
  if ('error' in steps) return { ok: false, reason: `jsonpath ${JSON.stringify(t.path)}: ${steps.error}` };
  const json: Record<string, unknown> = { path };
  if (t.count !== undefined) {
    if (t.count !== 0 && t.count !== 1) return { ok: false, reason: `jsonpath count ${JSON.stringify(t.count)}: the path selects at most one value` };
    json.count = t.count;
  }
  if ('expect' in t) {
    const expect = Array.isArray(t.expect) ? t.expect : [t.expect];
    if (expect.length > 1) return { ok: false, reason: `jsonpath expect ${JSON.stringify(t.expect)}: the path selects at most one value` };
    if (expect.length === 0) json.count = 0;
    else json.equals = expect[0];
  }
  const what = json.equals !== undefined ? `equals ${JSON.stringify(json.equals)}` : json.count === 0 ? 'selects nothing' : 'selects a value';
  return { ok: true, set: { json }, text: `jsonpath tolerance → expect.json: ${path} ${what}` };
}

/** For an exec probe: `exitCode` or `stdout`. */
export function processExpectation(tolerance: unknown): Expectation {
  if (tolerance === undefined) return { ok: true, set: {}, text: 'no tolerance: exit code 0 passes' };
  if (isInt(tolerance)) return { ok: true, set: { exitCode: tolerance }, text: `tolerance ${tolerance} → exitCode ${tolerance}` };
  if (typeof tolerance === 'object' && tolerance !== null && !Array.isArray(tolerance)) {
    const t = tolerance as Record<string, unknown>;
    if (t.type === 'regex' && (t.target === undefined || t.target === 'stdout')) {
      const p = regex(t.pattern);
      return p === undefined ? { ok: false, reason: `the pattern ${JSON.stringify(t.pattern)} is not a regular expression JavaScript reads the same way` } : { ok: true, set: { stdout: p }, text: `regex tolerance → stdout ${JSON.stringify(p)}` };
    }
    if (t.type === 'range' && (t.target === undefined || t.target === 'status')) {
      const r = rangeOf(t);
      if (r && r[0] === r[1]) return { ok: true, set: { exitCode: r[0] }, text: `range tolerance [${r[0]}, ${r[1]}] → exitCode ${r[0]}` };
      return { ok: false, reason: 'a range of exit codes: faultline\'s exec probe expects one exit code' };
    }
    if (t.type === 'jsonpath') return { ok: false, reason: `a jsonpath tolerance (${JSON.stringify(t.path)}): faultline's exec probe checks the exit code and a regular expression on standard output` };
    return { ok: false, reason: `a ${String(t.type ?? 'custom')} tolerance${t.target !== undefined ? ` on ${String(t.target)}` : ''}: faultline's exec probe checks the exit code and standard output` };
  }
  if (Array.isArray(tolerance)) return { ok: false, reason: "a list of exit codes: faultline's exec probe expects one exit code" };
  return { ok: false, reason: `tolerance ${JSON.stringify(tolerance)}: Chaos Toolkit compares it with the whole process result; faultline checks the exit code and standard output` };
}
