// The HTTP probe with `connection: keep-alive`: every sample goes over one pooled connection (undici,
// one connection, no pipelining), reopened by the pool when it breaks or the server closes it. A
// sample started while another is still in flight waits for the connection (within its own
// timeout): a pool allowed more connections opened a second one even for back-to-back samples,
// because the first is not yet free when the next sample starts. A sample that fails mid-request
// (reset, timeout) takes its connection down with it, so the next one starts afresh rather than on
// a socket in an unknown state.
import { performance } from 'node:perf_hooks';
import type { Dispatcher, Pool } from 'undici';
import type { CheckResult } from '../domain/model.js';
import { expectationOf, judgeAnswer, MAX_BODY } from './http-answer.js';
import type { HttpRequestParams } from './http-answer.js';
import type { HttpChecker } from './http.js';

export function keepAliveChecker(p: HttpRequestParams, timeoutMs: number): HttpChecker {
  const url = new URL(p.url);
  // Loaded only by a run that has a keep-alive probe, and while the probe is built, not in its first sample.
  const pool: Promise<Pool> = import('undici').then(({ Pool }) => new Pool(url.origin, { connections: 1, pipelining: 1 }));
  const expectation = expectationOf(p);
  const options: Dispatcher.DispatchOptions = { path: `${url.pathname}${url.search}`, method: p.method, headers: p.headers, body: p.body };
  const timedOut = `timed out after ${timeoutMs}ms`;
  return {
    // `dispatch` with a handler rather than `request`: no body stream, no AbortController, no
    // promise per chunk; at 50 samples a second the probe's own cost is what is being cut.
    check: async (): Promise<CheckResult> => {
      const pooled = await pool;
      return new Promise((resolve) => {
        const start = performance.now();
        let status = 0;
        let chunks: Buffer[] = [];
        let size = 0;
        let settled = false;
        let abort: ((reason?: Error) => void) | undefined;
        const settle = (error: string | undefined): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ ok: error === undefined, ms: performance.now() - start, ...(error ? { error } : {}) });
        };
        const timer = setTimeout(() => {
          // Aborting takes the connection down: the next sample starts on a fresh one.
          abort?.(new Error(timedOut));
          settle(timedOut);
        }, timeoutMs);
        pooled.dispatch(options, {
          onConnect: (a: (reason?: Error) => void) => {
            abort = a;
            if (settled) a(new Error(timedOut));
          },
          onHeaders: (statusCode: number) => {
            status = statusCode;
            return true;
          },
          onData: (c: Buffer) => {
            if (size < MAX_BODY) chunks.push(c);
            size += c.length;
            return true;
          },
          onComplete: () => {
            const body = chunks;
            chunks = [];
            settle(judgeAnswer(expectation, status, () => Buffer.concat(body).toString('utf8')));
          },
          onError: (e: Error) => settle(describe(e, url.host)),
        });
      });
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
