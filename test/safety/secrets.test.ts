import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { REPO, writeTemp } from '../support/kv.js';

const SENTINEL = 'sentinel-5ecr3t-7f3a9c1d';
const PORT = 27395;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secrets never appear in any output', () => {
  it('a planted sentinel is absent from stdout, stderr, journal, reports, JUnit, service logs and the ledger', async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'faultline-state-'));
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-out-'));
    const file = writeTemp(
      'secret.yaml',
      `apiVersion: faultline/v1
kind: Experiment
metadata: { name: secrets }
spec:
  driver: process
  services:
    echo:
      command: [node, ${path.join(REPO, 'test/fixtures/echo-server.js')}, "${PORT}", "--password=\${env:FAULTLINE_TEST_SECRET}"]
      env: { API_TOKEN: "\${env:FAULTLINE_TEST_SECRET}" }
      ready: { tcp: 127.0.0.1:${PORT} }
  targets:
    echo: { selector: { names: [echo] } }
  probes:
    health: { http: { url: "http://127.0.0.1:${PORT}/ok" }, every: 50ms }
    leaky:
      http:
        url: "http://127.0.0.1:${PORT}/fail?token=\${env:FAULTLINE_TEST_SECRET}"
        headers: { Authorization: "Bearer \${env:FAULTLINE_TEST_SECRET}", X-Custom: "\${env:FAULTLINE_TEST_SECRET}" }
      every: 50ms
  steadyState: [health]
  faults:
    - pause: { target: echo }
      at: 100ms
      for: 300ms
  objectives:
    - availability: { probe: leaky, atLeast: 99% }
  observe: { steadyState: 200ms, recoveryWindow: 300ms }
`,
    );
    const junit = path.join(out, 'junit.xml');
    const md = path.join(out, 'summary.md');
    const r = await runCli(['run', file, '--out', out, '--junit', junit, '--markdown', md, '--json'], { env: { FAULTLINE_TEST_SECRET: SENTINEL, FAULTLINE_STATE_DIR: state } });
    expect(r.code).toBe(1);
    const written = [...filesUnder(out), ...filesUnder(state)];
    expect(written.some((f) => f.endsWith('journal.json'))).toBe(true);
    expect(written.some((f) => f.endsWith('echo.log'))).toBe(true);
    expect(written.some((f) => f.endsWith('.ledger'))).toBe(true);
    const leaks = [
      ...(r.stdout.includes(SENTINEL) ? ['stdout'] : []),
      ...(r.stderr.includes(SENTINEL) ? ['stderr'] : []),
      ...written.filter((f) => readFileSync(f, 'utf8').includes(SENTINEL)),
    ];
    expect(leaks).toEqual([]);
    // Not vacuous: the secret was used (the service saw it) and masked where it would have shown.
    const journal = readFileSync(written.find((f) => f.endsWith('journal.json'))!, 'utf8');
    expect(journal).toMatch(/"error": "HTTP 503: .*\*\*\*/);
    expect(journal).toContain('${env:FAULTLINE_TEST_SECRET}');
    expect(readFileSync(written.find((f) => f.endsWith('echo.log'))!, 'utf8')).toMatch(/API_TOKEN=\*\*\*/);
    const journalFile = written.find((f) => f.endsWith('journal.json'))!;
    expect(statSync(journalFile).mode & 0o777).toBe(0o600);
  });

  it('a missing environment variable is bad input, located in the file', async () => {
    const file = writeTemp('missing.yaml', `apiVersion: faultline/v1
kind: Experiment
metadata: { name: missing }
spec:
  driver: process
  services:
    echo: { command: [node, x.js], env: { T: "\${env:FAULTLINE_SURELY_UNSET_VAR}" } }
  targets:
    echo: { selector: { names: [echo] } }
  faults:
    - kill: { target: echo }
`);
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.yaml:7:\d+: spec\.services\.echo\.env\.T: environment variable FAULTLINE_SURELY_UNSET_VAR is not set/);
  });
});
