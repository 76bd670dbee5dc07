// A Chaos Toolkit experiment that puts Toxiproxy in front of a server, imported and then run by
// faultline: the proxy becomes a link to an external service, the latency toxic a latency fault
// on it, held until 1s after the method's last step as Chaos Toolkit holds it until its rollbacks.
// The server is a real TCP echo server this test starts; the probe round-trips a byte through the
// link, so the journal shows the latency only while the fault is held.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalIn, runCli } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { importAndValidate, removeTempDirs, tempDir } from './support.js';

let server: Server | undefined;
afterAll(() => {
  server?.close();
  removeTempDirs();
});

const DELAY_MS = 3000;

describe('an imported Toxiproxy experiment, run', () => {
  it('delays the replies through the link for the toxic\'s time, then not, and leaves nothing listening', async () => {
    server = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const upstreamPort = (server.address() as { port: number }).port;
    const listenPort = await freePort();
    const dir = tempDir();
    const file = path.join(dir, 'slow-echo.json');
    // One byte there and back through the link; exits 0 once the echo arrives.
    const roundTrip = `const s=require('net').connect(${listenPort},'127.0.0.1',()=>s.write('x'));s.on('data',()=>process.exit(0));s.on('error',()=>process.exit(1))`;
    const python = (name: string, module: string, func: string, args: object, pauses?: object) => ({ type: 'action', name, provider: { type: 'python', module, func, arguments: args }, ...(pauses ? { pauses } : {}) });
    writeFileSync(
      file,
      JSON.stringify({
        title: 'slow echo',
        description: 'written for this test from chaostoolkit-toxiproxy documented activities',
        'steady-state-hypothesis': { title: 'echo answers', probes: [{ type: 'probe', name: 'echo', tolerance: 0, provider: { type: 'process', path: process.execPath, arguments: ['-e', roundTrip], timeout: 10 } }] },
        method: [
          python('create-proxy', 'chaostoxi.proxy.actions', 'create_proxy', { proxy_name: 'echo', listen_host: '127.0.0.1', listen_port: listenPort, upstream_host: '127.0.0.1', upstream_port: upstreamPort }),
          python('slow-echo', 'chaostoxi.toxic.actions', 'create_latency_toxic', { for_proxy: 'echo', toxic_name: 'slow', latency: DELAY_MS }, { after: 6 }),
        ],
        rollbacks: [python('delete-proxy', 'chaostoxi.proxy.actions', 'delete_proxy', { proxy_name: 'echo' })],
      }),
    );
    const imported = await importAndValidate([file]);
    expect(imported.imported.code, imported.imported.stdout + imported.imported.stderr).toBe(0);
    expect(imported.imported.stdout).not.toContain('NOT IMPORTED');
    expect(imported.validated?.code, imported.validated?.stderr).toBe(0);

    const runs = path.join(dir, 'runs');
    const r = await runCli(['run', imported.written[0]!, '--quiet', '--out', runs]);
    const j = journalIn(runs);
    expect(j.status, r.stdout + r.stderr).toBe('completed');
    // No objective is imported (Chaos Toolkit judges none), so nothing is judged: exit 1, never a pass.
    expect(r.code).toBe(1);
    const fault = j.faults[0]!;
    expect(fault).toMatchObject({ kind: 'latency' });
    expect(fault.revertedAt! - fault.injectedAt!).toBeGreaterThanOrEqual(6000);
    const echo = j.samples.filter((s) => s.probe === 'echo');
    // Samples begun early enough in the hold that their byte surely crossed the link while it was
    // delayed (a sample starts a node process first): each took at least the delay.
    const held = echo.filter((s) => s.t >= fault.injectedAt! && s.t <= fault.revertedAt! - DELAY_MS - 1500);
    const seen = JSON.stringify(echo.map((s) => ({ t: Math.round(s.t - fault.injectedAt!), ms: Math.round(s.ms), ok: s.ok })));
    expect(held.length, seen).toBeGreaterThan(0);
    expect(held.every((s) => s.ms >= DELAY_MS), seen).toBe(true);
    expect(echo.filter((s) => s.t < fault.injectedAt!).every((s) => s.ok)).toBe(true);
    // The link is closed with the run.
    await expect(new Promise((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(listenPort, '127.0.0.1', () => s.close(() => resolve('free')));
    })).resolves.toBe('free');
  }, 90_000);
});
