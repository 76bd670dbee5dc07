// What an HTTP probe's answer must be, prepared once per probe, and the judgement of one answer;
// shared by the fresh-connection and the keep-alive checks.
import { isDeepStrictEqual } from 'node:util';
import type { ProbeParams } from '../domain/experiment.js';
import { parseJsonPath, selectJsonPath, type JsonPathStep } from '../domain/json-path.js';

/** The parameters of one HTTP request and what its answer must be; how connections are used is apart. */
export type HttpRequestParams = Omit<ProbeParams<'http'>, 'connection'>;

export interface Expectation {
  /** Undefined: any 2xx. */
  accepted: ReadonlySet<number> | undefined;
  body: RegExp | undefined;
  json: { path: string; steps: JsonPathStep[]; equals?: unknown; count?: number } | undefined;
}

/** Answers up to this size are kept for judging; the rest is read and dropped. */
export const MAX_BODY = 64 * 1024;

export function expectationOf(p: HttpRequestParams): Expectation {
  return {
    accepted: p.expect.status === undefined ? undefined : new Set([p.expect.status].flat()),
    body: p.expect.body !== undefined ? new RegExp(p.expect.body) : undefined,
    json: p.expect.json === undefined ? undefined : { ...p.expect.json, steps: stepsOf(p.expect.json.path) },
  };
}

function stepsOf(path: string): JsonPathStep[] {
  const r = parseJsonPath(path);
  // The schema refused any other path before a probe was built.
  if ('error' in r) throw new Error(`expect.json.path ${path}: ${r.error}`);
  return r;
}

const shown = (v: unknown) => JSON.stringify(v)?.slice(0, 120) ?? String(v);

function judgeJson(j: NonNullable<Expectation['json']>, body: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return `body is not JSON${body.length >= MAX_BODY ? ` (or longer than the ${MAX_BODY / 1024} KiB judged)` : ''}: ${shown(body.slice(0, 80))}`;
  }
  const found = selectJsonPath(doc, j.steps);
  if (j.count !== undefined && found.length !== j.count) return `${j.path} selects ${found.length} value(s), ${j.count} expected${found.length ? `: ${shown(found[0])}` : ''}`;
  if (found.length === 0 && j.count === undefined) return `${j.path} selects nothing`;
  if (j.equals !== undefined && !isDeepStrictEqual(found[0], j.equals)) return `${j.path} is ${shown(found[0])}, ${shown(j.equals)} expected`;
  return undefined;
}

/** Why a complete answer fails, or undefined when it passes. */
export function judgeAnswer(e: Expectation, status: number, body: () => string): string | undefined {
  const statusOk = e.accepted === undefined ? status >= 200 && status < 300 : e.accepted.has(status);
  if (!statusOk) {
    // The body usually says why (a 503 "replica did not acknowledge"): keep its start in the journal.
    const why = body().replace(/\s+/g, ' ').trim().slice(0, 160);
    return `HTTP ${status}${why ? `: ${why}` : ''}`;
  }
  if (e.body !== undefined && !e.body.test(body())) return `body does not match /${e.body.source}/`;
  if (e.json !== undefined) return judgeJson(e.json, body());
  return undefined;
}
