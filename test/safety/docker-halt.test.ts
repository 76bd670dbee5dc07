// `faultline halt` against a live Docker run: the run reverts every fault and removes every holder
// before it exits 130; and against a Docker run whose runner is gone: halt rolls it back.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, ensureDocker } from '../docker/lab.js';
import { dockerLeftovers } from '../docker/leftovers.js';
import { runCli, startCli, waitForOutput } from '../support/cli.js';

const lab = new Lab('dhalt');
const runIds: string[] = [];
beforeAll(ensureDocker, 300_000);
afterAll(async () => {
  await lab.cleanup();
  for (const id of runIds) {
    for (const c of await lab.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${id}`] } })) await lab.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  expect(await lab.leftovers()).toEqual([]);
});

async function setup() {
  const net = await lab.network('h');
  const a = await lab.echoServer({ networks: [{ name: net }] });
  const b = await lab.echoServer({ networks: [{ name: net }] });
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-dhalt-'));
  const file = path.join(dir, 'hold.yaml');
  writeFileSync(
    file,
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: docker-halt }
spec:
  driver: docker
  targets:
    a: { selector: { names: [${a.Name.slice(1)}] } }
    b: { selector: { names: [${b.Name.slice(1)}] } }
  faults:
    - pause: { target: a }
      for: 5m
    - partition: { from: b, to: a }
      for: 5m
    - cpu: { target: b, cpus: 0.5 }
      for: 5m
  observe: { steadyState: 50ms }
`,
  );
  const watched = { containers: [a, b].map((c) => ({ id: c.Id, name: c.Name.slice(1) })), attachments: [] };
  return { dir, file, watched, env: { FAULTLINE_STATE_DIR: path.join(dir, 'state') } };
}

describe('faultline halt with the Docker driver', { timeout: 90_000 }, () => {
  it('a live run reverts everything, removes its holders and exits 130', async () => {
    const { dir, file, watched, env } = await setup();
    const run = startCli(['run', file, '--out', path.join(dir, 'out')], { env });
    for (const f of ['pause', 'partition', 'cpu']) await waitForOutput(run.output, new RegExp(`inject ${f} `));
    const runId = readdirSync(path.join(env.FAULTLINE_STATE_DIR, 'runs'))[0]!.replace(/\.ledger$/, '');
    runIds.push(runId);
    // The run's engine holder holds the pause and the CPU limit; the partition has its own, in a's namespace.
    const holders = await lab.docker.listContainers({ filters: { label: [`faultline.run-id=${runId}`, 'faultline.holder'] } });
    expect(holders.map((h) => h.Labels['faultline.holder']).sort()).toEqual(['partition', 'run-engine']);
    const halt = await runCli(['halt'], { env });
    expect(halt.code).toBe(0);
    expect((await run.done).code).toBe(130);
    expect(await dockerLeftovers(lab.docker, [runId], watched)).toEqual([]);
    expect((await runCli(['halt', '--release'], { env })).code).toBe(0);
  });

  it('a run whose runner was killed is rolled back by halt', async () => {
    const { dir, file, watched, env } = await setup();
    const run = startCli(['run', file, '--out', path.join(dir, 'out')], { env });
    for (const f of ['pause', 'partition', 'cpu']) await waitForOutput(run.output, new RegExp(`inject ${f} `));
    run.child.kill('SIGKILL');
    await run.done;
    const runId = readdirSync(path.join(env.FAULTLINE_STATE_DIR, 'runs'))[0]!.replace(/\.ledger$/, '');
    runIds.push(runId);
    expect((await dockerLeftovers(lab.docker, [runId], watched)).length).toBeGreaterThan(0);
    const halt = await runCli(['halt'], { env });
    expect(halt.code).toBe(0);
    expect(halt.stdout).toMatch(/3 fault\(s\) restored/);
    expect(await dockerLeftovers(lab.docker, [runId], watched)).toEqual([]);
    expect((await runCli(['halt', '--release'], { env })).code).toBe(0);
  });
});
