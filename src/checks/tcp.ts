// One TCP connect: the tcp probe, and a process service's readiness.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { CheckResult } from '../domain/model.js';
import { parseAddress } from '../domain/units.js';

/** Passes when a TCP connection is accepted within the timeout. */
export function tcpCheck(address: string, timeoutMs: number): Promise<CheckResult> {
  const start = performance.now();
  const { host, port } = parseAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean, error?: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, ms: performance.now() - start, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => done(false, `timed out after ${timeoutMs}ms`), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', (e: NodeJS.ErrnoException) => done(false, e.code ? `${e.code} ${address}` : e.message));
  });
}
