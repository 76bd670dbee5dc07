// The HTTP probe with `connection: keep-alive`: every sample goes over one pooled connection (undici,
// one connection, no pipelining), reopened by the pool when it breaks or the server closes it. A
// sample started while another is still in flight waits for the connection (within its own
// timeout): a pool allowed more connections opened a second one even for back-to-back samples,
// because the first is not yet free when the next sample starts. A sample that fails mid-request
// (reset, timeout) takes its connection down with it, so the next one starts afresh rather than on
// a socket in an unknown state.
import { performance } from 'node:perf_hooks';
import type { Pool } from 'undici';
import type { CheckResult } from '../domain/model.js';
import { expectationOf, judgeAnswer, MAX_BODY } from './http-answer.js';
import type { HttpRequestParams } from './http-answer.js';
import type { HttpChecker } from './http.js';

export function keepAliveChecker(p: HttpRequestParams, timeoutMs: number): HttpChecker {
  const url = new URL(p.url);
  // Loaded only by a run that has a keep-alive probe, and while the probe is built, not in its first sample.
  const pool: Promise<Pool> = import('undici').then(({ Pool }) => new Pool(url.origin, { connections: 1, pipelining: 1 }));
  const expectation = expectationOf(p);
  const path = `${url.pathname}${url.search}`;
  const method = p.method;
  return {
    async check(): Promise<CheckResult> {
      const start = performance.now();
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      try {
        const res = await (await pool).request({ path, method, headers: p.headers, body: p.body, signal: abort.signal });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const c of res.body as AsyncIterable<Buffer>) {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
        }
        const failure = judgeAnswer(expectation, res.statusCode, () => Buffer.concat(chunks).toString('utf8'));
        return { ok: failure === undefined, ms: performance.now() - start, ...(failure ? { error: failure } : {}) };
      } catch (e) {
        const error = abort.signal.aborted ? `timed out after ${timeoutMs}ms` : describe(e, url.host);
        return { ok: false, ms: performance.now() - start, error };
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => (await pool).destroy(),
  };
}

function describe(e: unknown, host: string): string {
  const code = (e as { code?: unknown }).code;
  // undici names a connection closed by the server UND_ERR_SOCKET; the cause has the errno when there is one.
  const errno = (e as { cause?: { code?: unknown } }).cause?.code;
  if (typeof errno === 'string') return `${errno} ${host}`;
  if (typeof code === 'string') return `${code} ${host}`;
  return e instanceof Error ? e.message : String(e);
}
