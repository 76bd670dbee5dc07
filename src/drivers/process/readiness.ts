// Waiting for a service to be ready, and noticing that an address is already taken before we start
// anything (so "port in use" is reported as such, not as a service that never became ready).
import net from 'node:net';
import type { Clock } from '../../domain/context.js';
import { httpCheck } from '../../checks/http.js';
import { tcpCheck } from '../../checks/tcp.js';
import { parseAddress } from '../../domain/units.js';

export interface ReadySpec {
  tcp?: string | undefined;
  http?: string | undefined;
  timeout: number;
}

export async function checkReadyOnce(ready: ReadySpec): Promise<boolean> {
  if (ready.tcp && !(await tcpCheck(ready.tcp, 500)).ok) return false;
  if (ready.http && !(await httpCheck({ url: ready.http, method: 'GET', expect: {} }, 1000)).ok) return false;
  return true;
}

/** Resolves true once ready, false when `gaveUp()` says to stop or the timeout passes. */
export async function waitReady(ready: ReadySpec, clock: Clock, gaveUp: () => boolean, signal?: AbortSignal): Promise<boolean> {
  const deadline = clock.now() + ready.timeout;
  while (clock.now() < deadline) {
    if (gaveUp()) return false;
    if (await checkReadyOnce(ready)) return true;
    await clock.sleep(25, signal);
  }
  return false;
}

/** True when something already listens at host:port (we try to bind it ourselves). */
export function addressInUse(address: string): Promise<boolean> {
  const { host, port } = parseAddress(address);
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}
