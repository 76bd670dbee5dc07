// The holders' scripts, run for real without Docker: the namespace script under sh with recording
// stand-ins for iptables and tc, the engine script under sh with the real curl against a fake
// engine socket.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HOLDER_SOCKET, cpuCalls, engineScript, netnsScript, reconnectCalls } from '../../src/drivers/docker/holder.js';

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
    const deadline = Math.ceil(Date.now() / 1000 + 1) * 1000;
    const script = netnsScript(deadline / 1000, [{ table: 'filter', chain: 'FL-abc-123456', hooks: ['OUTPUT'], comment: 'faultline:run=abc' }], ['eth0']);
    const r = await run('sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    expect(Date.now()).toBeGreaterThanOrEqual(deadline);
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

  it('removes the chains with every iptables backend the image has (nft and legacy), since either may have made them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-holder-'));
    const log = path.join(dir, 'calls');
    for (const b of ['iptables-nft', 'iptables-legacy']) {
      // Each backend holds nothing: every deletion fails at once, as it does where the rules are not.
      writeFileSync(path.join(dir, b), `#!/bin/sh\necho "${b} $*" >> ${log}\nexit 1\n`);
      chmodSync(path.join(dir, b), 0o755);
    }
    writeFileSync(path.join(dir, 'tc'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(dir, 'tc'), 0o755);
    const script = netnsScript(Date.now() / 1000 - 1, [{ table: 'filter', chain: 'FL-abc-654321', hooks: ['INPUT'], comment: 'faultline:run=abc' }], []);
    await run('sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    for (const b of ['iptables-nft', 'iptables-legacy']) {
      expect(calls).toContain(`${b} -w 5 -t filter -D INPUT -m comment --comment faultline:run=abc -j FL-abc-654321`);
      expect(calls).toContain(`${b} -w 5 -t filter -X FL-abc-654321`);
    }
  });
});

describe('engine holder script', () => {
  it('replays each call at the deadline: already-so answers are success, errors are retried, a refused fixed address falls back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-holder-'));
    const sock = path.join(dir, 'docker.sock');
    const seen: string[] = [];
    const seenAt: number[] = [];
    let failures = 1;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        seenAt.push(Date.now());
        if (req.url === '/containers/aaa/unpause' && failures-- > 0) return res.writeHead(500).end('{"message":"engine busy"}');
        if (req.url === '/containers/bbb/start') return res.writeHead(304).end();
        if (req.url === '/networks/n1/connect' && body.includes('IPAMConfig')) return res.writeHead(403).end('{"message":"user specified IP address is supported only when connecting to networks with user configured subnets"}');
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const calls = [
        { path: '/containers/aaa/unpause' },
        { path: '/containers/bbb/start' },
        ...cpuCalls({ container: 'ccc', nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0 }),
        ...reconnectCalls({ networkId: 'n1', members: [{ id: 'ddd', ip: '10.0.0.5', aliases: ['db'] }] }),
      ];
      const deadline = Math.ceil(Date.now() / 1000 + 0.3) * 1000;
      // The script talks to the socket where holders have it mounted; point it at the fake one.
      const script = engineScript(deadline / 1000, calls).replaceAll(HOLDER_SOCKET, sock);
      const r = await run('sh', ['-c', script], { env: { PATH: '/usr/bin:/bin' }, timeout: 20_000 });
      expect(seenAt[0]).toBeGreaterThanOrEqual(deadline);
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
