import { describe, expect, it } from 'vitest';
import { hostExecCheck } from '../../src/probes/create-probe.js';
import { runHostCommand } from '../../src/drivers/host-command.js';
import { tcpCheck } from '../../src/checks/tcp.js';
import { httpCheck } from '../../src/checks/http.js';
import net from 'node:net';
import http from 'node:http';

const deps = { runCommand: runHostCommand, cwd: process.cwd() };
const node = (script: string) => [process.execPath, '-e', script];

describe('generic probes against real processes and sockets', () => {
  it('exec: exit code and stdout pattern decide, with the reason recorded', async () => {
    expect(await hostExecCheck({ command: node('console.log("role:master")'), exitCode: 0, stdout: '^role:master$' }, 2000, deps)).toMatchObject({ ok: true });
    expect(await hostExecCheck({ command: node('console.log("role:slave")'), exitCode: 0, stdout: '^role:master' }, 2000, deps)).toMatchObject({ ok: false, error: 'output "role:slave" does not match /^role:master/' });
    expect(await hostExecCheck({ command: node('console.error("boom"); process.exit(3)'), exitCode: 0 }, 2000, deps)).toMatchObject({ ok: false, error: expect.stringMatching(/ exited 3, expected 0: boom$/) });
    expect(await hostExecCheck({ command: node('process.exit(3)'), exitCode: 3 }, 2000, deps)).toMatchObject({ ok: true });
    expect(await hostExecCheck({ command: ['no-such-binary-xyz'], exitCode: 0 }, 2000, deps)).toMatchObject({ ok: false, error: 'command not found: no-such-binary-xyz' });
    const slow = await hostExecCheck({ command: node('setTimeout(() => {}, 5000)'), exitCode: 0 }, 300, deps);
    expect(slow).toMatchObject({ ok: false, error: 'timed out after 300ms' });
    expect(slow.ms).toBeLessThan(2000);
  });

  it('tcp: accepted, refused, and a listener that never accepts (full backlog) times out', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as net.AddressInfo).port;
    expect(await tcpCheck(`127.0.0.1:${port}`, 500)).toMatchObject({ ok: true });
    await new Promise((r) => server.close(r));
    expect(await tcpCheck(`127.0.0.1:${port}`, 500)).toMatchObject({ ok: false, error: `ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('http: status, body pattern and timeout; the failure keeps the start of the body', async () => {
    let mode = 'ok';
    const server = http.createServer((_q, s) => {
      if (mode === 'hang') return;
      s.writeHead(mode === 'ok' ? 200 : 503).end(mode === 'ok' ? 'role=primary' : '{"error":"overloaded"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
    expect(await httpCheck({ url, method: 'GET', expect: { body: 'primary' } }, 500)).toMatchObject({ ok: true });
    expect(await httpCheck({ url, method: 'GET', expect: { body: 'replica' } }, 500)).toMatchObject({ ok: false, error: 'body does not match /replica/' });
    mode = 'fail';
    expect(await httpCheck({ url, method: 'GET', expect: {} }, 500)).toMatchObject({ ok: false, error: 'HTTP 503: {"error":"overloaded"}' });
    expect(await httpCheck({ url, method: 'GET', expect: { status: [200, 503] } }, 500)).toMatchObject({ ok: true });
    mode = 'hang';
    expect(await httpCheck({ url, method: 'GET', expect: {} }, 200)).toMatchObject({ ok: false, error: 'timed out after 200ms' });
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});
