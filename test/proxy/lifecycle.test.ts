import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultProxy } from '../../src/proxy/index.js';
import { closed, echoServer, LOCAL, proxied, roundTrip, seeded, until } from './harness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  while (cleanup.length) await cleanup.pop()!();
});

/** Counts of open TCP handles (sockets and listeners) in this process. */
function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind.startsWith('TCP')) out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

/**
 * Counts timeouts and immediates created from now on that have neither fired nor been cleared.
 * (getActiveResourcesInfo is too coarse for timers.)
 */
function trackTimers(): { live(): number } {
  const live = new Set<unknown>();
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const realSetImmediate = globalThis.setImmediate;
  const realClearImmediate = globalThis.clearImmediate;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const h = realSetTimeout(() => {
      live.delete(h);
      fn(...args);
    }, ms);
    live.add(h);
    return h;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((h: NodeJS.Timeout | undefined) => {
    live.delete(h);
    realClearTimeout(h);
  }) as typeof clearTimeout);
  vi.spyOn(globalThis, 'setImmediate').mockImplementation(((fn: (...a: unknown[]) => void, ...args: unknown[]) => {
    const h = realSetImmediate(() => {
      live.delete(h);
      fn(...args);
    });
    live.add(h);
    return h;
  }) as typeof setImmediate);
  vi.spyOn(globalThis, 'clearImmediate').mockImplementation(((h: NodeJS.Immediate | undefined) => {
    live.delete(h);
    realClearImmediate(h);
  }) as typeof clearImmediate);
  return { live: () => live.size };
}

describe('impairment bookkeeping', () => {
  it('lists active impairments and removes them idempotently', async () => {
    const up = await echoServer();
    const { proxy, close } = await proxied(up.port);
    cleanup.push(() => up.close(), close);
    const a = proxy.impair('svc', { kind: 'latency', delayMs: 10, jitterMs: 0, direction: 'both' });
    const b = proxy.impair('svc', { kind: 'bandwidth', bytesPerSecond: 1000, direction: 'up' });
    expect(a).not.toBe(b);
    expect(proxy.active().map((x) => x.id)).toEqual([a, b]);
    expect(proxy.active()[1]).toEqual({ id: b, link: 'svc', impairment: { kind: 'bandwidth', bytesPerSecond: 1000, direction: 'up' } });
    expect(proxy.remove(a)).toBe(true);
    expect(proxy.remove(a)).toBe(false);
    expect(proxy.remove('no-such-id')).toBe(false);
    proxy.removeAll();
    expect(proxy.active()).toEqual([]);
    proxy.removeAll();
  });

  it('rejects unknown links and invalid values before changing anything', async () => {
    const up = await echoServer();
    const { proxy, close } = await proxied(up.port);
    cleanup.push(() => up.close(), close);
    expect(() => proxy.impair('nope', { kind: 'timeout' })).toThrow(/unknown link "nope"/);
    expect(() => proxy.impair('svc', { kind: 'loss', percent: 120, mode: 'drop' })).toThrow(/percent/);
    expect(() => proxy.impair('svc', { kind: 'bandwidth', bytesPerSecond: 0, direction: 'up' })).toThrow(/bytesPerSecond/);
    expect(() => proxy.impair('svc', { kind: 'latency', delayMs: -1, jitterMs: 0, direction: 'up' })).toThrow(/delayMs/);
    expect(() => proxy.impair('svc', { kind: 'partition', direction: 'sideways' as 'up' })).toThrow(/direction/);
    expect(proxy.active()).toEqual([]);
    expect(() => proxy.stats('nope')).toThrow(/unknown link/);
  });
});

describe('listening and closing', () => {
  it('names the address when it is already in use', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, LOCAL, r));
    cleanup.push(() => new Promise((r) => taken.close(() => r())));
    const port = (taken.address() as net.AddressInfo).port;
    const proxy = new FaultProxy({ rng: seeded(1) });
    cleanup.push(() => proxy.close());
    const err = await proxy.addLink('db', { host: LOCAL, port }, { host: LOCAL, port: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`${LOCAL}:${port}`);
    expect((err as Error).message).toMatch(/already in use/);
    expect((err as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    // The failed link is forgotten, so the name can be used again.
    await proxy.addLink('db', { host: LOCAL, port: 0 }, { host: LOCAL, port: 1 });
  });

  it('rejects a second link with the same name', async () => {
    const proxy = new FaultProxy({ rng: seeded(1) });
    cleanup.push(() => proxy.close());
    await proxy.addLink('a', { host: LOCAL, port: 0 }, { host: LOCAL, port: 1 });
    await expect(proxy.addLink('a', { host: LOCAL, port: 0 }, { host: LOCAL, port: 1 })).rejects.toThrow(/already exists/);
  });

  it('close() ends every connection, shaped or held, and leaves nothing open', async () => {
    const up = await echoServer();
    cleanup.push(() => up.close());
    await new Promise((r) => setTimeout(r, 20)); // let earlier tests' handles finish closing
    const before = handles();
    const timers = trackTimers();
    const { proxy, client, port } = await proxied(up.port);
    const plain = await client();
    await roundTrip(plain, 'hi');
    const slow = await client();
    proxy.impair('svc', { kind: 'latency', delayMs: 5000, jitterMs: 0, direction: 'both' });
    slow.write('queued behind a long timer');
    // 'down' leaves the slow connection's upstream timer pending, and still holds new connections.
    proxy.impair('svc', { kind: 'partition', direction: 'down' });
    const held = await client();
    held.write('held');
    await new Promise((r) => setTimeout(r, 50));
    expect(proxy.stats('svc').open).toBe(3);
    expect(timers.live()).toBeGreaterThan(0); // the 5 s latency timer, at least
    // Clients are half-open capable, so the proxy's FIN shows up as 'end' (or as an error if it was an RST).
    const closes = [plain, slow, held].map((s) => new Promise((r) => s.once('end', r).once('close', r).resume()));
    const t0 = performance.now();
    await proxy.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    await Promise.all(closes);
    expect(proxy.stats('svc').open).toBe(0);
    expect(up.open()).toBe(0);
    // Long latency timers, the listener and every socket are gone: only what existed before remains.
    await Promise.all([plain, slow, held].map((s) => (s.destroy(), closed(s))));
    // Handles go away a loop turn after their close; wait for that, then compare.
    const leaked = (): string[] => Object.entries(handles()).filter(([k, n]) => n > (before[k] ?? 0)).map(([k]) => k);
    await until(() => leaked().length === 0, 1000, 'handles released').catch(() => undefined);
    expect(leaked()).toEqual([]);
    expect(timers.live()).toBe(0);
    await expect(new Promise<void>((r, j) => net.connect(port, LOCAL).on('error', j).on('connect', r))).rejects.toThrow(/ECONNREFUSED/);
    await proxy.close();
  });
});
