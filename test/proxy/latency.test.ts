import { afterEach, describe, expect, it } from 'vitest';
import { echoServer, proxied, read, roundTrip, seeded, sleep } from './harness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(rng = seeded(7)) {
  const up = await echoServer();
  const p = await proxied(up.port, rng);
  cleanup.push(() => up.close(), () => p.close());
  return p;
}

describe('latency', () => {
  it('delays each direction by delayMs, on a connection opened before the fault', async () => {
    const { proxy, client } = await setup();
    const s = await client();
    const before = await roundTrip(s, 'warm');
    const id = proxy.impair('svc', { kind: 'latency', delayMs: 40, jitterMs: 0, direction: 'both' });
    const rtts: number[] = [];
    for (let i = 0; i < 5; i++) rtts.push(await roundTrip(s, `ping-${i}`));
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(80);
      expect(rtt).toBeLessThan(80 + 150);
    }
    expect(proxy.remove(id)).toBe(true);
    expect(await roundTrip(s, 'after')).toBeLessThan(Math.max(before, 1) + 40);
  });

  it('delays only the chosen direction', async () => {
    const { proxy, client } = await setup();
    const s = await client();
    proxy.impair('svc', { kind: 'latency', delayMs: 50, jitterMs: 0, direction: 'down' });
    const rtt = await roundTrip(s, 'x');
    expect(rtt).toBeGreaterThanOrEqual(50);
    expect(rtt).toBeLessThan(50 + 100);
  });

  it('keeps jitter within delay ± jitter', async () => {
    const { proxy, client } = await setup();
    const s = await client();
    proxy.impair('svc', { kind: 'latency', delayMs: 30, jitterMs: 20, direction: 'up' });
    const rtts: number[] = [];
    for (let i = 0; i < 14; i++) rtts.push(await roundTrip(s, `j${i}`));
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...rtts)).toBeLessThan(50 + 100);
    // With 14 uniform draws over [10, 50] a spread under 10 ms would mean jitter is not applied.
    expect(Math.max(...rtts) - Math.min(...rtts)).toBeGreaterThan(10);
  });

  it('keeps chunk order under heavy jitter', async () => {
    const { proxy, client } = await setup();
    const s = await client();
    proxy.impair('svc', { kind: 'latency', delayMs: 20, jitterMs: 20, direction: 'both' });
    const n = 300;
    const expected = Buffer.from(Array.from({ length: n }, (_, i) => `<${i}>`).join(''));
    const got = read(s, expected.length);
    for (let i = 0; i < n; i++) {
      s.write(`<${i}>`);
      if (i % 10 === 0) await sleep(1); // separate chunks, so each gets its own draw
    }
    expect((await got).toString()).toBe(expected.toString());
  });

  it('on removal releases queued chunks at their times and stops delaying new ones', async () => {
    const { proxy, client } = await setup();
    const s = await client();
    const id = proxy.impair('svc', { kind: 'latency', delayMs: 150, jitterMs: 0, direction: 'up' });
    const t0 = performance.now();
    const first = read(s, 5);
    s.write('first');
    await sleep(20);
    proxy.remove(id);
    expect((await first).toString()).toBe('first');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(150);
    expect(await roundTrip(s, 'next')).toBeLessThan(50);
  });

  it('is reproducible: the same seed gives the same delays', async () => {
    const delays = async (): Promise<number[]> => {
      const { proxy, client } = await setup(seeded(99));
      const s = await client();
      proxy.impair('svc', { kind: 'latency', delayMs: 20, jitterMs: 15, direction: 'up' });
      const out: number[] = [];
      for (let i = 0; i < 10; i++) out.push(await roundTrip(s, 'r'));
      return out;
    };
    const a = await delays();
    const b = await delays();
    // One draw per chunk, in order: RTT i is at least 20 + 15 * (2u_i - 1). With another random
    // stream, ten such lower bounds would all hold only by rare luck (about 0.5^10).
    const rng = seeded(99);
    const want = a.map(() => 20 + 15 * (2 * rng() - 1));
    for (const run of [a, b]) {
      run.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(want[i]!));
      run.forEach((v, i) => expect(v).toBeLessThan(want[i]! + 150));
    }
  });
});
