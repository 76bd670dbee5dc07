// `faultline run --console` refuses what it cannot do before anything is touched: a malformed
// --listen (exit 2), --listen without the console (exit 2), an address it cannot bind (exit 3).
// The experiment's service would listen on a port no other test uses; it must never start.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { runCli } from '../support/cli.js';
import { KV_SERVER, experimentYaml, writeTemp } from '../support/kv.js';

const PORT = 27921;
const file = writeTemp(
  'console.yaml',
  experimentYaml(
    'console-cli',
    `
  services:
    primary:
      command: [node, ${KV_SERVER}, --role=primary, --port=${PORT}]
      ready: { tcp: 127.0.0.1:${PORT} }
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${PORT}/put?k=a&v=1" }, every: 100ms }
  faults:
    - kill: { target: primary }
      at: 100ms
  objectives:
    - recovery: { probe: writes, within: 5s }`,
  ),
);

async function expectRefused(args: string[], code: number, pattern: RegExp): Promise<void> {
  const out = mkdtempSync(path.join(tmpdir(), 'faultline-out-'));
  const r = await runCli(['run', file, '--out', out, ...args]);
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain('#token=');
  // Nothing started: no journal, no service.
  expect(readdirSync(out).filter((d) => existsSync(path.join(out, d, 'journal.json')))).toEqual([]);
  expect(await addressInUse(`127.0.0.1:${PORT}`)).toBe(false);
}

describe('faultline run --console: refused before anything is touched (spawned CLI)', () => {
  it('a malformed --listen is bad input (exit 2)', async () => {
    await expectRefused(['--console', '--listen', 'nowhere:port'], 2, /--listen nowhere:port: expected host:port/);
  });

  it('--listen without --console is bad input (exit 2)', async () => {
    await expectRefused(['--listen', '127.0.0.1:0'], 2, /--listen is for the console: add --console/);
  });

  it('an address in use is an unusable environment (exit 3)', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as net.AddressInfo;
      await expectRefused(['--console', '--listen', `127.0.0.1:${port}`], 3, /cannot serve the console on 127\.0\.0\.1:\d+: the port is in use/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
