// A run cut short keeps its results: every declared objective is judged on the samples collected
// (partial), or says why it cannot be (unknown), in the journal, the Markdown and the JUnit; the
// exit codes stay those of an interrupted (130) or aborted (3) run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalIn, runCli, startCli, waitForOutput } from '../support/cli.js';
import { experimentYaml, kvPorts, kvServices, writeTemp } from '../support/kv.js';
import { processLeftovers } from '../support/leftovers.js';

const p = kvPorts(27560);
const ports = [p.primary, p.replica, p.link, p.clientLink];

const objectives = `
  objectives:
    - recovery: { probe: health, within: 60s }
    - availability: { probe: health, atLeast: 10% }
    - latency: { probe: health, p99: 5s }`;

function outputs(): { out: string; md: string; junit: string; args: string[] } {
  const out = mkdtempSync(path.join(tmpdir(), 'faultline-out-'));
  const md = path.join(out, 'summary.md');
  const junit = path.join(out, 'junit.xml');
  return { out, md, junit, args: ['--out', out, '--markdown', md, '--junit', junit] };
}

describe('a run cut short still judges its objectives (spawned CLI)', () => {
  it('interrupted while observing recovery: every objective partial, listed in Markdown and JUnit, exit 130', async () => {
    const body = `${kvServices(p, { restart: 'never' })}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    health: { tcp: { address: 127.0.0.1:${p.primary} }, every: 100ms }
  steadyState: [health]
  faults:
    - kill: { target: primary }
      at: 100ms${objectives}
  observe: { steadyState: 300ms }`;
    const o = outputs();
    const cli = startCli(['run', writeTemp('cut.yaml', experimentYaml('cut-short', body)), ...o.args]);
    await waitForOutput(cli.output, /phase recover/);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    const j = journalIn(o.out);
    expect(j.status).toBe('interrupted');
    expect(j.samples.length).toBeGreaterThan(0);
    expect(j.verdicts.map((v) => [v.kind, v.status])).toEqual([['recovery', 'partial'], ['availability', 'partial'], ['latency', 'partial']]);
    // The killed primary never came back (restart: never): the data so far says missed, never met.
    expect(j.verdicts[0]!.sofar).toBe('missed');
    expect(j.verdicts[0]!.detail).toMatch(/run was interrupted/);
    // Availability is measured on what was sampled: a number, not nothing.
    expect(j.verdicts[1]!.measured).not.toBeNull();
    const md = readFileSync(o.md, 'utf8');
    expect(md).not.toMatch(/No objectives/);
    expect(md).toMatch(/health recovers within 1m.*◐ partial/);
    expect(md).toMatch(/\*\*Partial:\*\* health available/);
    const junit = readFileSync(o.junit, 'utf8');
    expect(junit.match(/type="objective-[a-z]+-partial"/g)).toHaveLength(3);
    expect(junit).toMatch(/<testsuite [^>]*tests="4" failures="1" errors="3"/);
    expect(r.stderr).toMatch(/~ PARTIAL +health recovers within 1m/);
    expect(await processLeftovers(j.runId, ports)).toEqual([]);
  });

  it('aborted before any fault (steady state not met): every objective unknown with the reason, exit 3', async () => {
    const body = `
  services:
    idle: { command: [node, -e, "setInterval(() => {}, 1000)"] }
  targets:
    idle: { selector: { names: [idle] } }
  probes:
    health: { tcp: { address: 127.0.0.1:${p.primary} }, every: 100ms, timeout: 200ms }
  steadyState: [health]
  faults:
    - kill: { target: idle }${objectives}
  observe: { steadyState: 300ms }`;
    const o = outputs();
    const r = await runCli(['run', writeTemp('abort.yaml', experimentYaml('cut-before-fault', body)), ...o.args]);
    expect(r.code).toBe(3);
    const j = journalIn(o.out);
    expect(j.status).toBe('aborted');
    expect(j.verdicts.map((v) => v.status)).toEqual(['unknown', 'unknown', 'unknown']);
    for (const v of j.verdicts) expect(v.detail).toMatch(/no fault was injected before the run was aborted \(steady state was not met/);
    const md = readFileSync(o.md, 'utf8');
    expect(md).not.toMatch(/No objectives/);
    expect(md.match(/❔ unknown/g)).toHaveLength(3);
    const junit = readFileSync(o.junit, 'utf8');
    expect(junit.match(/type="objective-[a-z]+-unknown"/g)).toHaveLength(3);
    expect(await processLeftovers(j.runId, ports)).toEqual([]);
  });
});
