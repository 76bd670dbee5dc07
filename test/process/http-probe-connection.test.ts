// The HTTP probe's `connection` option against a real server that counts the connections it accepts.
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpChecker } from '../../src/checks/http.js';
import type { HttpChecker } from '../../src/checks/http.js';

interface Counted {
  server: http.Server;
  url: string;
  port: number;
  accepted: () => number;
  mode: { now: 'ok' | 'fail' | 'hang' };
}

async function countingServer(port = 0): Promise<Counted> {
  let accepted = 0;
  const mode: Counted['mode'] = { now: 'ok' };
  const server = http.createServer((_q, s) => {
    if (mode.now === 'hang') return;
    s.writeHead(mode.now === 'ok' ? 200 : 503).end(mode.now === 'ok' ? 'role=primary' : '{"error":"overloaded"}');
  });
  server.on('connection', () => accepted++);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const bound = (server.address() as net.AddressInfo).port;
  return { server, url: `http://127.0.0.1:${bound}/`, port: bound, accepted: () => accepted, mode };
}

async function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

const open: { servers: http.Server[]; checkers: HttpChecker[] } = { servers: [], checkers: [] };

afterEach(async () => {
  await Promise.all(open.checkers.splice(0).map((c) => c.close?.()));
  await Promise.all(open.servers.splice(0).filter((s) => s.listening).map(stop));
});

function checker(url: string, connection: 'fresh' | 'keep-alive', timeoutMs = 2000, expect: { status?: number[]; body?: string } = {}): HttpChecker {
  const c = httpChecker({ url, method: 'GET', expect, connection }, timeoutMs);
  open.checkers.push(c);
  return c;
}

describe('HTTP probe connection: fresh | keep-alive', () => {
  it('fresh opens one connection per sample; keep-alive reuses one', async () => {
    const s = await countingServer();
    open.servers.push(s.server);
    const fresh = checker(s.url, 'fresh');
    for (let i = 0; i < 5; i++) expect(await fresh.check()).toMatchObject({ ok: true });
    expect(s.accepted()).toBe(5);
    expect(fresh.close).toBeUndefined();

    const kept = checker(s.url, 'keep-alive');
    for (let i = 0; i < 5; i++) expect(await kept.check()).toMatchObject({ ok: true });
    expect(s.accepted()).toBe(6);
    // Closing the probe releases its connection: the server can then close without forcing it.
    await kept.close!();
    await new Promise((r) => s.server.close(r));
  });

  it('keep-alive judges status and body like fresh, and a timeout costs the connection, not the next sample', async () => {
    const s = await countingServer();
    open.servers.push(s.server);
    expect(await checker(s.url, 'keep-alive', 2000, { body: 'replica' }).check()).toMatchObject({ ok: false, error: 'body does not match /replica/' });
    const kept = checker(s.url, 'keep-alive', 300);
    s.mode.now = 'fail';
    expect(await kept.check()).toMatchObject({ ok: false, error: 'HTTP 503: {"error":"overloaded"}' });
    const before = s.accepted();
    s.mode.now = 'hang';
    expect(await kept.check()).toMatchObject({ ok: false, error: 'timed out after 300ms' });
    s.mode.now = 'ok';
    expect(await kept.check()).toMatchObject({ ok: true });
    expect(s.accepted()).toBe(before + 1);
  });

  it('keep-alive still sees a server that went away, and its return', async () => {
    const s = await countingServer();
    open.servers.push(s.server);
    const kept = checker(s.url, 'keep-alive');
    expect(await kept.check()).toMatchObject({ ok: true });
    await stop(s.server);
    // The kept connection was closed by the server: the pool reconnects, and the port now refuses.
    const down = await kept.check();
    expect(down.ok).toBe(false);
    expect(down.error).toMatch(/^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET) 127\.0\.0\.1:\d+$/);
    const back = await countingServer(s.port);
    open.servers.push(back.server);
    expect(await kept.check()).toMatchObject({ ok: true });
    expect(back.accepted()).toBe(1);
  });
});
