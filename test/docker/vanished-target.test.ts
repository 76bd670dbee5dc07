// A target removed while its fault is held (its network namespace goes with it): through the CLI,
// the revert counts it as reverted, the run ends clean, and its holders are gone.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runTag } from '../../src/drivers/docker/rules.js';
import { startCli, waitForOutput } from '../support/cli.js';
import { Lab, ensureDocker, faultlineChainsEverywhere } from './lab.js';

const lab = new Lab('vani');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

describe('a target removed during its fault', { timeout: 60_000 }, () => {
  it('is counted as reverted: the run ends clean, with a note, and leaves no holder or chain', async () => {
    const net = await lab.network('v');
    const server = await lab.echoServer({ name: 'server', networks: [{ name: net }] });
    const client = await lab.container({ name: 'client', networks: [{ name: net }] });
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-vanished-'));
    const file = path.join(dir, 'x.yaml');
    writeFileSync(
      file,
      `apiVersion: faultline/v1
kind: Experiment
metadata: { name: vanished }
spec:
  driver: docker
  targets:
    client: { selector: { names: [${client.Name.slice(1)}] } }
    server: { selector: { names: [${server.Name.slice(1)}] } }
  faults:
    - partition: { from: client, to: server }
      for: 8s
    - pause: { target: client }
      for: 8s
  observe: { steadyState: 50ms, recoveryWindow: 100ms }
`,
    );
    const env = { FAULTLINE_STATE_DIR: path.join(dir, 'state') };
    const run = startCli(['run', file, '--out', path.join(dir, 'out')], { env });
    await waitForOutput(run.output, /inject partition/);
    await waitForOutput(run.output, /inject pause/);
    await lab.docker.getContainer(client.Id).remove({ force: true });
    const r = await run.done;
    // Clean and completed; it declares no objectives, so nothing was judged: exit 1, not 0.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no objectives declared: nothing was judged/);
    expect(r.stderr).toMatch(/revert partition .*target vanished/);
    expect(r.stderr).toMatch(/revert pause .*target vanished/);
    const journal = JSON.parse(readFileSync(/journal: (\S+)/.exec(r.stderr)![1]!, 'utf8')) as { unclean: boolean; leftovers: string[] };
    expect(journal.unclean).toBe(false);
    expect(journal.leftovers).toEqual([]);
    const runId = readdirSync(path.join(dir, 'state', 'runs'))[0]!.replace(/\.ledger$/, '');
    expect(await lab.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${runId}`] } })).toEqual([]);
    expect((await faultlineChainsEverywhere()).filter((c) => c.includes(`FL-${runTag(runId)}-`))).toEqual([]);
  });
});
