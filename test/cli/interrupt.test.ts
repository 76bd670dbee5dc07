import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { startCli, waitForOutput, journalIn } from '../support/cli.js';
import { alive, experimentYaml, kvPorts, kvServices, writeTemp } from '../support/kv.js';
import { servicePids } from '../support/run.js';

const p = kvPorts(27340);

const experiment = experimentYaml(
  'long-partition',
  `${kvServices(p, { sync: true })}
  targets:
    replica: { selector: { names: [replica] } }
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${p.primary}/put?k=a&v=1" }, every: 100ms, timeout: 500ms }
  steadyState: [writes]
  faults:
    - partition: { from: replica, to: primary }
      at: 200ms
      for: 60s
    - pause: { target: primary }
      at: 400ms
      for: 60s
  objectives:
    - availability: { probe: writes, atLeast: 99% }
  observe: { steadyState: 300ms }`,
);

describe.each(['SIGINT', 'SIGTERM'] as const)('%s during a run (spawned CLI)', (signal) => {
  it('reverts every fault, stops every service, exits 130 with status interrupted', async () => {
    const file = writeTemp('long.yaml', experiment);
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-out-'));
    const cli = startCli(['run', file, '--out', out]);
    await waitForOutput(cli.output, /inject pause primary/);
    cli.child.kill(signal);
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const j = journalIn(out);
    expect(j.status).toBe('interrupted');
    expect(j.unclean).toBe(false);
    expect(j.events.some((e) => e.type === 'interrupt' && e.signal === signal)).toBe(true);
    const injected = j.events.filter((e) => e.type === 'inject' && e.ok).map((e) => (e as { fault: string }).fault);
    const reverted = j.events.filter((e) => e.type === 'revert' && e.ok).map((e) => (e as { fault: string }).fault);
    expect(injected.sort()).toEqual(['partition-1', 'pause-2']);
    expect(reverted.sort()).toEqual(injected.sort());
    // Nothing left: services gone, proxy and service ports free.
    const pids = servicePids(j);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    for (const port of [p.primary, p.replica, p.link, p.clientLink]) expect(await addressInUse(`127.0.0.1:${port}`)).toBe(false);
  });
});
