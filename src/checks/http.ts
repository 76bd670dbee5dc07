// HTTP probe. By default a fresh connection per sample (no keep-alive): a pooled socket to a server
// that was just killed would turn a restart into spurious resets, or hide that a new connection is
// refused. `connection: keep-alive` trades that for a cheaper sample (http-keep-alive.ts).
import { performance } from 'node:perf_hooks';
import type { ProbeParams } from '../domain/experiment.js';
import type { CheckResult } from '../domain/model.js';
import { expectationOf, judgeAnswer, MAX_BODY } from './http-answer.js';
import type { HttpRequestParams } from './http-answer.js';
import { keepAliveChecker } from './http-keep-alive.js';
import { nodeHttp, nodeHttps } from '../runtime/late-builtins.js';

export interface HttpChecker {
  check(): Promise<CheckResult>;
  /** Releases a kept-alive connection; absent when every sample closes its own. */
  close?(): Promise<void>;
}

/** One request on a fresh connection. */
export function httpCheck(p: HttpRequestParams, timeoutMs: number): Promise<CheckResult> {
  return freshChecker(p, timeoutMs)();
}

/** A check with everything that does not change between samples (URL, options, patterns) prepared once. */
export function httpChecker(p: ProbeParams<'http'>, timeoutMs: number): HttpChecker {
  return p.connection === 'keep-alive' ? keepAliveChecker(p, timeoutMs) : { check: freshChecker(p, timeoutMs) };
}

function freshChecker(p: HttpRequestParams, timeoutMs: number): () => Promise<CheckResult> {
  const url = new URL(p.url);
  const lib = url.protocol === 'https:' ? nodeHttps() : nodeHttp();
  const options = { method: p.method, headers: p.headers, agent: false } as const;
  const expectation = expectationOf(p);
  return () => new Promise((resolve) => {
    const start = performance.now();
    let settled = false;
    const done = (ok: boolean, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ok, ms: performance.now() - start, ...(error ? { error } : {}) });
    };
    const req = lib.request(url, options, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('error', (e) => done(false, e.message));
      res.on('end', () => {
        const failure = judgeAnswer(expectation, status, () => Buffer.concat(chunks).toString('utf8'));
        done(failure === undefined, failure);
      });
    });
    const timer = setTimeout(() => done(false, `timed out after ${timeoutMs}ms`), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done(false, e.code ? `${e.code} ${url.host}` : e.message));
    if (p.body !== undefined) req.write(p.body);
    req.end();
  });
}
