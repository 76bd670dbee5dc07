// HTTP probe. A fresh connection per sample (no keep-alive): a pooled socket to a server that was
// just killed would turn a restart into spurious resets, or hide that a new connection is refused.
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { ProbeParams } from '../domain/experiment.js';
import type { CheckResult } from '../domain/model.js';


const MAX_BODY = 64 * 1024;

export function httpCheck(p: ProbeParams<'http'>, timeoutMs: number): Promise<CheckResult> {
  return httpChecker(p, timeoutMs)();
}

/** A check with everything that does not change between samples (URL, options, patterns) prepared once. */
export function httpChecker(p: ProbeParams<'http'>, timeoutMs: number): () => Promise<CheckResult> {
  const url = new URL(p.url);
  const lib = url.protocol === 'https:' ? https : http;
  const wantBody = p.expect.body !== undefined ? new RegExp(p.expect.body) : undefined;
  const options = { method: p.method, headers: p.headers, agent: false } as const;
  const accepted = p.expect.status === undefined ? undefined : new Set([p.expect.status].flat());
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
      const statusOk = accepted === undefined ? status >= 200 && status < 300 : accepted.has(status);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('error', (e) => done(false, e.message));
      res.on('end', () => {
        if (!statusOk) {
          // The body usually says why (a 503 "replica did not acknowledge"): keep its start in the journal.
          const why = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 160);
          return done(false, `HTTP ${status}${why ? `: ${why}` : ''}`);
        }
        if (wantBody && !wantBody.test(Buffer.concat(chunks).toString('utf8'))) return done(false, `body does not match /${p.expect.body}/`);
        done(true);
      });
    });
    const timer = setTimeout(() => done(false, `timed out after ${timeoutMs}ms`), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done(false, e.code ? `${e.code} ${url.host}` : e.message));
    if (p.body !== undefined) req.write(p.body);
    req.end();
  });
}
