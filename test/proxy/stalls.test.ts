import { afterEach, describe, expect, it } from 'vitest';
import { closed, echoServer, pattern, proxied, read, readAll, roundTrip, sha256, silentFor, sinkServer, until } from './harness.js';
import type { TestServer } from './harness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(server: Promise<TestServer> = echoServer()) {
  const up = await server;
  const p = await proxied(up.port);
  cleanup.push(() => up.close(), () => p.close());
  return { up, ...p };
}

describe('timeout', () => {
  it('accepts new connections and never answers them, nor closes them', async () => {
    const { proxy, client, up } = await setup();
    proxy.impair('svc', { kind: 'timeout' });
    const s = await client();
    s.write('anyone?');
    expect(await silentFor(s, 250)).toBe(true);
    expect(up.accepted()).toBe(0);
    expect(proxy.stats('svc').open).toBe(1);
  });

  it('stalls open connections both ways and lets them resume on removal', async () => {
    const { proxy, client } = await setup();
    const s = await client();
    await roundTrip(s, 'before');
    const id = proxy.impair('svc', { kind: 'timeout' });
    const reply = read(s, 6, 3000);
    s.write('during');
    expect(await silentFor(s, 200)).toBe(true);
    proxy.remove(id);
    expect((await reply).toString()).toBe('during');
  });
});

describe('partition', () => {
  it('holds data on an open connection and delivers it intact on heal', async () => {
    const { proxy, client } = await setup(sinkServer());
    const s = await client();
    const id = proxy.impair('svc', { kind: 'partition', direction: 'both' });
    const data = pattern(3_000_000);
    const answer = readAll(s);
    s.end(data);
    await until(() => proxy.stats('svc').bytesUp === 0 && s.writableLength < data.length, 2000, 'client writing');
    expect(await silentFor(s, 200)).toBe(true);
    expect(proxy.stats('svc').bytesUp).toBe(0);
    proxy.remove(id);
    expect((await answer).toString()).toBe(`${data.length} ${sha256(data)}`);
  });

  it('cuts only the chosen direction', async () => {
    const { proxy, client } = await setup();
    const s = await client();
    proxy.impair('svc', { kind: 'partition', direction: 'down' });
    const reply = read(s, 4, 3000);
    s.write('ping');
    expect(await silentFor(s, 150)).toBe(true);
    // The request went through; only the reply is held.
    expect(proxy.stats('svc').bytesUp).toBe(4);
    expect(proxy.stats('svc').bytesDown).toBe(0);
    proxy.removeAll();
    expect((await reply).toString()).toBe('ping');
  });

  it('holds new connections unconnected until heal, then connects them', async () => {
    const { proxy, client, up } = await setup();
    const id = proxy.impair('svc', { kind: 'partition', direction: 'both' });
    const s = await client();
    const reply = read(s, 5, 3000);
    s.write('early');
    expect(await silentFor(s, 150)).toBe(true);
    expect(up.accepted()).toBe(0);
    proxy.remove(id);
    expect((await reply).toString()).toBe('early');
    expect(up.accepted()).toBe(1);
  });

  it('delivers everything a held client sent, more than the proxy buffers, once connected', async () => {
    const { proxy, client, up } = await setup(sinkServer());
    const id = proxy.impair('svc', { kind: 'partition', direction: 'both' });
    const s = await client();
    const data = pattern(4_000_000);
    const answer = readAll(s);
    s.write(data);
    await until(() => s.writableLength < data.length, 2000, 'client writing');
    expect(up.accepted()).toBe(0);
    proxy.remove(id);
    s.end();
    expect((await answer).toString()).toBe(`${data.length} ${sha256(data)}`);
  });

  it('closes a held connection whose client gives up, without ever connecting it', async () => {
    const { proxy, client, up } = await setup();
    const id = proxy.impair('svc', { kind: 'partition', direction: 'up' });
    const s = await client();
    s.end();
    await closed(s);
    await until(() => proxy.stats('svc').open === 0, 2000, 'held connection released');
    proxy.remove(id);
    expect(up.accepted()).toBe(0);
  });
});
