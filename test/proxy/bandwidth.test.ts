import { afterEach, describe, expect, it } from 'vitest';
import { pattern, proxied, readAll, sha256, sinkServer, sleep } from './harness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup() {
  const up = await sinkServer();
  const p = await proxied(up.port);
  cleanup.push(() => up.close(), () => p.close());
  return p;
}

describe('bandwidth', () => {
  it('limits a transfer on an open connection to about size / rate and keeps the data intact', async () => {
    const { proxy, client } = await setup();
    const s = await client();
    proxy.impair('svc', { kind: 'bandwidth', bytesPerSecond: 1_000_000, direction: 'up' });
    const data = pattern(600_000);
    const t0 = performance.now();
    const answer = readAll(s);
    s.end(data);
    expect((await answer).toString()).toBe(`${data.length} ${sha256(data)}`);
    const ms = performance.now() - t0;
    // 0.6 s at the rate, minus the initial bucket of 20 ms worth.
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(2500);
  });

  it('does not limit the other direction', async () => {
    const { proxy, client } = await setup();
    proxy.impair('svc', { kind: 'bandwidth', bytesPerSecond: 10_000, direction: 'down' });
    const s = await client();
    const data = pattern(2_000_000);
    const t0 = performance.now();
    const answer = readAll(s);
    s.end(data);
    await answer;
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('lets data flow at full speed once removed, even mid-transfer', async () => {
    const { proxy, client } = await setup();
    const id = proxy.impair('svc', { kind: 'bandwidth', bytesPerSecond: 100_000, direction: 'both' });
    const s = await client();
    const data = pattern(5_000_000); // 50 s at the limit
    const t0 = performance.now();
    const answer = readAll(s);
    s.end(data);
    await sleep(200);
    const sent = proxy.stats('svc').bytesUp;
    expect(sent).toBeGreaterThan(10_000);
    expect(sent).toBeLessThan(200_000);
    proxy.remove(id);
    expect((await answer).toString()).toBe(`${data.length} ${sha256(data)}`);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('combines with latency on the same link', async () => {
    const { proxy, client } = await setup();
    proxy.impair('svc', { kind: 'bandwidth', bytesPerSecond: 500_000, direction: 'up' });
    proxy.impair('svc', { kind: 'latency', delayMs: 100, jitterMs: 0, direction: 'up' });
    const s = await client();
    const data = pattern(200_000);
    const t0 = performance.now();
    const answer = readAll(s);
    s.end(data);
    expect((await answer).toString()).toBe(`${data.length} ${sha256(data)}`);
    // 100 ms of delay plus ~0.4 s of serialisation.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(450);
  });
});
