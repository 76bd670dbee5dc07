// SIGINT and SIGTERM in every phase of a run: whatever was started or injected is put back before
// faultline exits 130 with status interrupted, and nothing is left running.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalIn, startCli, waitForOutput } from '../support/cli.js';
import { experimentYaml, kvPorts, kvServices, writeTemp } from '../support/kv.js';
import { processLeftovers } from '../support/leftovers.js';

const p = kvPorts(27420);
const ports = [p.primary, p.replica, p.link, p.clientLink];

const slowStart = `node, -e, "setTimeout(() => require('http').createServer((q, s) => s.end('ok')).listen(${p.primary + 8}, '127.0.0.1'), 3000)"`;

const PHASES: { phase: string; when: RegExp; body: string }[] = [
  {
    phase: 'setup',
    when: /service slow started/,
    body: `
  services:
    slow: { command: [${slowStart}], ready: { tcp: 127.0.0.1:${p.primary + 8}, timeout: 20s } }
  targets:
    slow: { selector: { names: [slow] } }
  faults:
    - kill: { target: slow }`,
  },
  {
    phase: 'steady-state',
    when: /phase steady-state/,
    body: `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    health: { tcp: { address: 127.0.0.1:${p.primary} }, every: 100ms }
  steadyState: [health]
  faults:
    - kill: { target: primary }
  observe: { steadyState: 30s }`,
  },
  {
    phase: 'recover',
    when: /phase recover/,
    body: `${kvServices(p, { restart: 'never' })}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    health: { tcp: { address: 127.0.0.1:${p.primary} }, every: 100ms }
  steadyState: [health]
  faults:
    - kill: { target: primary }
      at: 100ms
  objectives:
    - recovery: { probe: health, within: 60s }
  observe: { steadyState: 200ms }`,
  },
];

describe.each(PHASES)('interrupt during $phase', ({ phase, when, body }) => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: everything is put back, exit 130, nothing left', async (signal) => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-out-'));
    const cli = startCli(['run', writeTemp('x.yaml', experimentYaml(`interrupt-${phase}`, body)), '--out', out]);
    await waitForOutput(cli.output, when);
    cli.child.kill(signal);
    const r = await cli.done;
    expect(r.code).toBe(130);
    const j = journalIn(out);
    expect(j.status).toBe('interrupted');
    expect(j.unclean).toBe(false);
    expect(j.events.filter((e) => e.type === 'phase').map((e) => (e as { phase: string }).phase)).toContain(phase);
    expect(await processLeftovers(j.runId, [...ports, p.primary + 8])).toEqual([]);
  });
});
