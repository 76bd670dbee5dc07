import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { connect, closed, echoServer, LOCAL, pattern, proxied, readAll, roundTrip, sha256, sinkServer, sourceServer, until } from './harness.js';
import type { TestServer } from './harness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(server: Promise<TestServer>) {
  const up = await server;
  const p = await proxied(up.port);
  cleanup.push(() => up.close(), () => p.close());
  return { up, ...p };
}

describe('forwarding without impairments', () => {
  it('echoes through the link and counts bytes both ways', async () => {
    const { proxy, client } = await setup(echoServer());
    const s = await client();
    await roundTrip(s, 'hello');
    await roundTrip(s, 'world!');
    const st = proxy.stats('svc');
    expect(st).toEqual({ connections: 1, open: 1, bytesUp: 11, bytesDown: 11 });
  });

  it('carries a 50 MB upload intact and passes the half-close through', async () => {
    const { client } = await setup(sinkServer());
    const s = await client();
    const data = pattern(50 * 1024 * 1024);
    const answer = readAll(s);
    s.end(data);
    expect((await answer).toString()).toBe(`${data.length} ${sha256(data)}`);
  });

  it('carries a 50 MB download intact and ends the client after it', async () => {
    const size = 50 * 1024 * 1024;
    const { client } = await setup(sourceServer(size));
    const s = await client();
    const got = await readAll(s);
    expect(got.length).toBe(size);
    expect(sha256(got)).toBe(sha256(expectedDownload(size)));
  });

  it('destroys the client when the upstream refuses the connection', async () => {
    const gone = await echoServer();
    const port = gone.port;
    await gone.close();
    const p = await proxied(port);
    cleanup.push(() => p.close());
    const s = await connect(p.port);
    s.on('error', () => {});
    await closed(s);
    await until(() => p.proxy.stats('svc').open === 0, 2000, 'open === 0');
  });

  it('tears down the upstream side when the client vanishes', async () => {
    const { up, proxy, client } = await setup(echoServer());
    const s = await client();
    await roundTrip(s, 'x');
    s.destroy();
    await until(() => proxy.stats('svc').open === 0, 2000, 'proxy open === 0');
    await until(() => up.open() === 0, 2000, 'upstream connections closed');
  });
});

describe('errors', () => {
  it('passes an upstream reset on to the client and releases both sides', async () => {
    const resetter = net.createServer((s) => s.once('data', () => s.resetAndDestroy()));
    await new Promise<void>((r) => resetter.listen(0, LOCAL, r));
    const p = await proxied((resetter.address() as net.AddressInfo).port);
    cleanup.push(() => new Promise((r) => resetter.close(() => r())), () => p.close());
    const s = await p.client();
    const err = new Promise<NodeJS.ErrnoException>((r) => s.once('error', r));
    s.write('boom');
    expect((await err).code).toBe('ECONNRESET');
    await until(() => p.proxy.stats('svc').open === 0, 2000, 'open === 0');
  });
});

function expectedDownload(size: number): Buffer {
  const block = pattern(1 << 20);
  const out = Buffer.allocUnsafe(size);
  for (let off = 0; off < size; off += block.length) block.copy(out, off, 0, Math.min(block.length, size - off));
  return out;
}
