// What an HTTP probe's answer must be, prepared once per probe, and the judgement of one answer;
// shared by the fresh-connection and the keep-alive checks.
import type { ProbeParams } from '../domain/experiment.js';

/** The parameters of one HTTP request and what its answer must be; how connections are used is apart. */
export type HttpRequestParams = Omit<ProbeParams<'http'>, 'connection'>;

export interface Expectation {
  /** Undefined: any 2xx. */
  accepted: ReadonlySet<number> | undefined;
  body: RegExp | undefined;
}

/** Answers up to this size are kept for judging; the rest is read and dropped. */
export const MAX_BODY = 64 * 1024;

export function expectationOf(p: HttpRequestParams): Expectation {
  return {
    accepted: p.expect.status === undefined ? undefined : new Set([p.expect.status].flat()),
    body: p.expect.body !== undefined ? new RegExp(p.expect.body) : undefined,
  };
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
  return undefined;
}
