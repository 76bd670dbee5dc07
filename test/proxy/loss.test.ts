import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { connect, echoServer, LOCAL, proxied, seeded, sleep, until } from './harness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const N = 200;
const SEED = 4242;
const PERCENT = 30;

/** The proxy draws once per new connection while one loss impairment is active. */
function expectedLosses(): number {
  const rng = seeded(SEED);
  let n = 0;
  for (let i = 0; i < N; i++) if (rng() * 100 < PERCENT) n++;
  return n;
}

async function setup() {
  const up = await echoServer();
  const p = await proxied(up.port, seeded(SEED));
  cleanup.push(() => up.close(), () => p.close());
  return { up, ...p };
}

interface Outcome {
  answered: number;
  reset: number;
  closed: number;
  sockets: Socket[];
}

/** Opens N connections at once; each sends "hi" and records what happens to it. An RST may arrive before 'connect'. */
function storm(port: number): Outcome {
  const o: Outcome = { answered: 0, reset: 0, closed: 0, sockets: [] };
  for (let i = 0; i < N; i++) {
    const s = net.connect(port, LOCAL);
    o.sockets.push(s);
    s.on('data', () => o.answered++);
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET') o.reset++;
    });
    s.on('close', () => o.closed++);
    s.write('hi');
  }
  return o;
}

describe('loss', () => {
  it('drop: black-holes the seeded share of new connections without closing them', async () => {
    const { proxy, port, up } = await setup();
    proxy.impair('svc', { kind: 'loss', percent: PERCENT, mode: 'drop' });
    const lost = expectedLosses();
    expect(lost).toBeGreaterThan(N * 0.2);
    expect(lost).toBeLessThan(N * 0.4);
    const o = storm(port);
    cleanup.push(async () => o.sockets.forEach((s) => s.destroy()));
    await until(() => o.answered >= N - lost, 5000, 'answers from the kept connections');
    await sleep(150);
    expect(o.answered).toBe(N - lost);
    expect(o.closed).toBe(0);
    expect(up.accepted()).toBe(N - lost);
    expect(proxy.stats('svc')).toMatchObject({ connections: N, open: N });
  });

  it('reset: refuses the seeded share of new connections with ECONNRESET', async () => {
    const { proxy, port } = await setup();
    proxy.impair('svc', { kind: 'loss', percent: PERCENT, mode: 'reset' });
    const lost = expectedLosses();
    const o = storm(port);
    cleanup.push(async () => o.sockets.forEach((s) => s.destroy()));
    await until(() => o.answered + o.reset >= N, 5000, 'every connection answered or reset');
    expect(o.reset).toBe(lost);
    expect(o.answered).toBe(N - lost);
    await until(() => proxy.stats('svc').open === N - lost, 2000, 'reset connections released');
  });

  it('0 % loses nothing and 100 % loses everything', async () => {
    const { proxy, port } = await setup();
    const id = proxy.impair('svc', { kind: 'loss', percent: 0, mode: 'reset' });
    const a = await connect(port);
    a.write('ok');
    await new Promise((r) => a.once('data', r));
    a.destroy();
    proxy.remove(id);
    proxy.impair('svc', { kind: 'loss', percent: 100, mode: 'reset' });
    const b = net.connect(port, LOCAL);
    const err = await new Promise<NodeJS.ErrnoException>((r) => b.once('error', r));
    expect(err.code).toBe('ECONNRESET');
  });
});
