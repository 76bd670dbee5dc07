// An external service: a server the test runs itself (as a database or a third-party API would
// run), which faultline reaches only through a link. A latency fault on it slows the traffic
// through the link, measured end to end, and the server is neither started, signalled nor stopped.
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { freePort } from '../support/free-port.js';
import { runCli } from '../support/cli.js';
import { experimentYaml, writeTemp } from '../support/kv.js';
import { runYaml } from '../support/run.js';

const servers: net.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function echoServer(): Promise<number> {
  const server = net.createServer((socket) => socket.pipe(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** Milliseconds from writing a line to reading it back, through whatever listens on `port`. */
function roundTrip(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(10_000, () => socket.destroy(new Error('no echo within 10s')));
    socket.once('error', reject);
    socket.once('connect', () => {
      const started = performance.now();
      socket.once('data', () => {
        resolve(performance.now() - started);
        socket.destroy();
      });
      socket.write('ping\n');
    });
  });
}

describe('an external service behind a link (real sockets)', () => {
  it('takes a latency fault through its link, measured end to end, and is left running', async () => {
    const echo = await echoServer();
    const listen = await freePort();
    const measured: Promise<number>[] = [];
    const j = await runYaml(
      experimentYaml(
        'external-latency',
        `  services:
    echo: { external: true }
  links:
    to-echo: { to: echo, listen: "127.0.0.1:${listen}", upstream: "127.0.0.1:${echo}" }
  targets:
    echo: { selector: { names: [echo] } }
  probes:
    link-open: { tcp: { address: "127.0.0.1:${listen}" }, every: 100ms }
  steadyState: [link-open]
  faults:
    - latency: { target: echo, delay: 200ms, direction: both }
      for: 5s
  observe: { steadyState: 200ms, recoveryWindow: 300ms }`,
      ),
      // Measured while the fault is held: the inject event is recorded once it is in place.
      { listen: (e) => void (e.type === 'inject' && e.ok && measured.push(roundTrip(listen))) },
    );
    expect(j.status).toBe('completed');
    expect(measured).toHaveLength(1);
    // One write up and its echo down, each delayed by 200ms.
    expect(await measured[0]!).toBeGreaterThanOrEqual(390);
    expect(j.events.filter((e) => e.type === 'revert' && e.ok)).toHaveLength(1);
    expect(j.events.filter((e) => e.type === 'service')).toEqual([]);
    // faultline closed its link and left the server it did not start alone.
    expect(await addressInUse(`127.0.0.1:${listen}`)).toBe(false);
    expect(await roundTrip(echo)).toBeLessThan(1000);
  });

  it('is shown as external in the plan, which starts nothing', async () => {
    const file = writeTemp(
      'external-plan.yaml',
      experimentYaml(
        'external-plan',
        `  services:
    echo: { external: true }
  links:
    to-echo: { to: echo, listen: "127.0.0.1:1", upstream: "127.0.0.1:2" }
  targets:
    echo: { selector: { names: [echo] } }
  faults:
    - latency: { target: echo, delay: 100ms }
      for: 1s`,
      ),
    );
    const r = await runCli(['plan', file]).finally(() => rmSync(path.dirname(file), { recursive: true, force: true }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  echo: echo (external) (1 of 1 candidate)');
    expect(r.stdout).toContain('latency 100ms ±0ms on echo through the fault proxy on link to-echo');
  });
});
