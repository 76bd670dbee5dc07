// An observer that does not answer before the run: `faultline run` exits 3, naming its address,
// with no stack trace and nothing injected (the service it would have killed was only started).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { freePort } from '../support/free-port.js';

const dir = mkdtempSync(path.join(tmpdir(), 'faultline-observer-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('faultline run with an unreachable observer', () => {
  it('exits 3 naming the address, before any fault', async () => {
    const nobody = await freePort();
    const file = path.join(dir, 'unreachable.yaml');
    writeFileSync(
      file,
      `apiVersion: faultline/v1
kind: Experiment
metadata: { name: observer-unreachable }
spec:
  driver: process
  services:
    idle: { command: [node, -e, "setInterval(() => {}, 1000)"] }
  targets:
    idle: { selector: { names: [idle] } }
  observers:
    alerts: { alertmanager: "http://127.0.0.1:${nobody}" }
  faults:
    - kill: { target: idle }
  objectives:
    - detection: { observer: alerts, alert: InstanceDown, within: 10s }
`,
    );
    const r = await runCli(['run', file, '--out', path.join(dir, 'runs'), '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`observer "alerts" at http://127.0.0.1:${nobody} did not answer before any fault: GET http://127.0.0.1:${nobody}/api/v2/alerts failed`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/inject kill/);
  });
});
