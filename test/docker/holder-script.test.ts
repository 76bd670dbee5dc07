// The holders' scripts, run for real without Docker: the namespace script under sh with recording
// stand-ins for iptables and tc, the engine script under node against a fake engine socket.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ENGINE_SCRIPT, cpuCalls, netnsScript, reconnectCalls } from '../../src/drivers/docker/holder.js';

const run = promisify(execFile);

describe('namespace holder script', () => {
  it('waits for the deadline, then deletes every jump (repeated ones too), the chain and the qdiscs; failures are fine', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-holder-'));
    const log = path.join(dir, 'calls');
    // iptables -D succeeds twice (a doubled jump), then fails: the loop must stop.
    writeFileSync(path.join(dir, 'iptables'), `#!/bin/sh\necho "iptables $*" >> ${log}\nif [ "$5" = "-D" ]; then n=$(grep -c -- "-D" ${log}); [ "$n" -le 2 ]; fi\n`);
    writeFileSync(path.join(dir, 'tc'), `#!/bin/sh\necho "tc $*" >> ${log}\nexit 2\n`);
    chmodSync(path.join(dir, 'iptables'), 0o755);
    chmodSync(path.join(dir, 'tc'), 0o755);
    const script = netnsScript(Date.now() / 1000 + 1, [{ table: 'filter', chain: 'FL-abc-123456', hooks: ['OUTPUT'], comment: 'faultline:run=abc' }], ['eth0']);
    const t0 = Date.now();
    const r = await run('sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(r.stderr).toBe('');
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toEqual([
      'iptables -w 5 -t filter -D OUTPUT -m comment --comment faultline:run=abc -j FL-abc-123456',
      'iptables -w 5 -t filter -D OUTPUT -m comment --comment faultline:run=abc -j FL-abc-123456',
      'iptables -w 5 -t filter -D OUTPUT -m comment --comment faultline:run=abc -j FL-abc-123456',
      'iptables -w 5 -t filter -F FL-abc-123456',
      'iptables -w 5 -t filter -X FL-abc-123456',
      'tc qdisc del dev eth0 root handle f1a0:',
    ]);
  });
});

describe('engine holder script', () => {
  it('replays each call at the deadline: already-so answers are success, errors are retried, a refused fixed address falls back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-holder-'));
    const sock = path.join(dir, 'docker.sock');
    const seen: string[] = [];
    let failures = 1;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        if (req.url === '/containers/aaa/unpause' && failures-- > 0) return res.writeHead(500).end('{"message":"engine busy"}');
        if (req.url === '/containers/bbb/start') return res.writeHead(304).end();
        if (req.url === '/networks/n1/connect' && body.includes('IPAMConfig')) return res.writeHead(403).end('{"message":"user specified IP address is supported only when connecting to networks with user configured subnets"}');
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      // The script talks to /var/run/docker.sock; point it at the fake one.
      const script = ENGINE_SCRIPT.replace("'/var/run/docker.sock'", JSON.stringify(sock));
      const calls = [
        { path: '/containers/aaa/unpause' },
        { path: '/containers/bbb/start' },
        ...cpuCalls({ container: 'ccc', nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0 }),
        ...reconnectCalls({ networkId: 'n1', members: [{ id: 'ddd', ip: '10.0.0.5', aliases: ['db'] }] }),
      ];
      const r = await run(process.execPath, ['-e', script], { env: { FL_CALLS: JSON.stringify(calls), FL_DEADLINE: String(Date.now() + 300) }, timeout: 20_000 });
      expect(r.stderr).toMatch(/unpause: 500 .*engine busy/);
      expect(seen.filter((s) => s.startsWith('POST /containers/aaa/unpause'))).toHaveLength(2);
      expect(seen).toContain('POST /containers/bbb/start ');
      expect(seen).toContain('POST /containers/ccc/update {"CpuPeriod":100000,"CpuQuota":-1}');
      expect(seen).toContain('POST /networks/n1/connect {"Container":"ddd","EndpointConfig":{"Aliases":["db"],"IPAMConfig":{"IPv4Address":"10.0.0.5"}}}');
      expect(seen).toContain('POST /networks/n1/connect {"Container":"ddd","EndpointConfig":{"Aliases":["db"]}}');
    } finally {
      server.close();
    }
  });
});
