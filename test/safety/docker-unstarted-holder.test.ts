// A runner SIGKILLed exactly between creating a holder container and starting it (held there by
// the test seam FAULTLINE_TEST_SEAM_HOLDER_CREATED, so every trial hits that instant): the holder
// stays `created`, with no fault behind it, and the next faultline command of each kind (plan, run,
// rollback, halt), or the next holder any driver starts, removes it. Nothing else is left.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerDriver } from '../../src/drivers/docker/index.js';
import { RUNNER_LABEL } from '../../src/drivers/docker/unstarted-helpers.js';
import { HOLDER_CREATED_SEAM } from '../../src/drivers/docker/test-seam.js';
import { faultOf } from '../support/faults.js';
import { Lab, ensureDocker } from '../docker/lab.js';
import { dockerLeftovers, type Watched } from '../docker/leftovers.js';
import { runCli, startCli } from '../support/cli.js';

const lab = new Lab('unstarted');
const runIds: string[] = [];
beforeAll(ensureDocker, 300_000);
afterAll(async () => {
  await lab.cleanup();
  const stray: string[] = [];
  for (const id of runIds) {
    for (const c of await lab.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${id}`] } })) {
      stray.push(`${c.Names[0]} (${c.State})`);
      await lab.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
  }
  expect(stray).toEqual([]);
  expect(await lab.leftovers()).toEqual([]);
}, 60_000);

const FAULTS = {
  pause: 'pause: { target: a }',
  partition: 'partition: { from: a, to: b }',
  cpu: 'cpu: { target: a, cpus: 0.5 }',
  stop: 'stop: { target: a, timeout: 1s }',
};

async function setup(kind: keyof typeof FAULTS) {
  const net = await lab.network(kind);
  const a = await lab.container({ networks: [{ name: net }] });
  const b = await lab.container({ networks: [{ name: net }] });
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-unstarted-'));
  const file = path.join(dir, 'x.yaml');
  writeFileSync(
    file,
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: unstarted-${kind} }
spec:
  driver: docker
  targets:
    a: { selector: { names: [${a.Name.slice(1)}] } }
    b: { selector: { names: [${b.Name.slice(1)}] } }
  faults:
    - ${FAULTS[kind]}
      for: 1s
  observe: { steadyState: 50ms, recoveryWindow: 100ms }
`,
  );
  const watched: Watched = { containers: [a, b].map((c) => ({ id: c.Id, name: c.Name.slice(1) })), attachments: [] };
  return { dir, file, watched, env: { FAULTLINE_STATE_DIR: path.join(dir, 'state') } };
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  await lab.until(async () => check(), ms).catch(() => {
    throw new Error(`${what} within ${ms}ms`);
  });
}

/** Runs the experiment until its runner holds between creating the holder and starting it, then SIGKILLs it. */
async function killBetweenCreateAndStart(s: Awaited<ReturnType<typeof setup>>): Promise<{ runId: string; holder: string }> {
  const seam = path.join(s.dir, 'seam');
  const cli = startCli(['run', s.file, '--out', path.join(s.dir, 'out')], { env: { ...s.env, [HOLDER_CREATED_SEAM]: seam } });
  let exited = false;
  void cli.done.then(() => (exited = true));
  await waitFor(() => existsSync(seam) || exited, 60_000, 'the runner never reached the holder seam').catch(async (e: unknown) => {
    cli.child.kill('SIGKILL');
    throw e;
  });
  if (exited) throw new Error(`the runner ended before creating a holder:\n${(await cli.done).stderr}`);
  const holder = readFileSync(seam, 'utf8');
  const runId = readdirSync(path.join(s.env.FAULTLINE_STATE_DIR, 'runs'))[0]!.replace(/\.ledger$/, '');
  runIds.push(runId);
  try {
    // What a kill at this instant leaves: a holder that never ran, carrying its runner, and no fault.
    const info = await lab.docker.getContainer(holder).inspect();
    expect(info.State.Status).toBe('created');
    expect(info.Config.Labels[RUNNER_LABEL]).toMatch(new RegExp(`/${cli.child.pid}/`));
    expect(await dockerLeftovers(lab.docker, [], s.watched)).toEqual([]);
  } finally {
    // Killed whatever the checks found: a runner left waiting at the seam would keep its holder alive.
    cli.child.kill('SIGKILL');
  }
  expect((await cli.done).signal).toBe('SIGKILL');
  return { runId, holder };
}

async function gone(id: string): Promise<boolean> {
  return lab.docker
    .getContainer(id)
    .inspect()
    .then(
      () => false,
      (e: { statusCode?: number }) => e.statusCode === 404,
    );
}

describe('a holder created and never started does not outlive its run', { timeout: 120_000 }, () => {
  it('the next `faultline plan` removes it', async () => {
    const s = await setup('pause');
    const { runId, holder } = await killBetweenCreateAndStart(s);
    const plan = await runCli(['plan', s.file], { env: s.env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(await gone(holder)).toBe(true);
    expect(await dockerLeftovers(lab.docker, [runId], s.watched)).toEqual([]);
    // The ledger's unfinished fault is settled by a rollback that finds nothing left to remove.
    const rb = await runCli(['rollback'], { env: s.env });
    expect(rb.stdout).toMatch(/0 orphan\(s\) removed/);
    expect(rb.code).toBe(0);
  });

  it('the next `faultline run` (anyone\'s, any state directory) removes it', async () => {
    const s = await setup('partition');
    const { runId, holder } = await killBetweenCreateAndStart(s);
    const next = await runCli(['run', s.file, '--out', path.join(s.dir, 'out2')], { env: { FAULTLINE_STATE_DIR: path.join(s.dir, 'other-state') } });
    // The experiment declares no objectives: a clean run that judged nothing exits 1.
    expect(next.code, next.stderr).toBe(1);
    expect(next.stdout + next.stderr).toContain('nothing was judged');
    expect(await gone(holder)).toBe(true);
    const nextRun = readdirSync(path.join(s.dir, 'other-state', 'runs'))[0]!.replace(/\.ledger$/, '');
    runIds.push(nextRun);
    expect(await dockerLeftovers(lab.docker, [runId, nextRun], s.watched)).toEqual([]);
    const rb = await runCli(['rollback'], { env: s.env });
    expect(rb.stdout).toMatch(/0 orphan\(s\) removed/);
    expect(rb.code).toBe(0);
  });

  it('the next `faultline rollback` removes it', async () => {
    const s = await setup('cpu');
    const { runId, holder } = await killBetweenCreateAndStart(s);
    const rb = await runCli(['rollback'], { env: s.env });
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(await gone(holder)).toBe(true);
    expect(await dockerLeftovers(lab.docker, [runId], s.watched)).toEqual([]);
  });

  it('the next `faultline halt` removes it', async () => {
    const s = await setup('stop');
    const { runId, holder } = await killBetweenCreateAndStart(s);
    const halt = await runCli(['halt'], { env: s.env });
    expect(halt.code, halt.stdout + halt.stderr).toBe(0);
    expect(await gone(holder)).toBe(true);
    expect(await dockerLeftovers(lab.docker, [runId], s.watched)).toEqual([]);
    expect((await runCli(['halt', '--release'], { env: s.env })).code).toBe(0);
  });

  it('the next holder started by any driver removes it', async () => {
    const s = await setup('pause');
    const { runId, holder } = await killBetweenCreateAndStart(s);
    // A driver built without connectDocker (library use): only its new holder can do the clean-up.
    const d = new DockerDriver(lab.docker, { where: 'test' });
    const victim = await lab.container();
    const t = await lab.target(victim);
    const groups = new Map([['g', [t]]]);
    const inj = await faultOf('pause').inject(t, { params: { target: 'g' }, driver: d, groups }, lab.ctx(), { fault: 'pause-0', kind: 'pause', expiresAt: Date.now() + 60_000 });
    expect(await gone(holder)).toBe(true);
    await inj.revert(lab.ctx());
    expect(await dockerLeftovers(lab.docker, [runId, lab.runId], { ...s.watched, containers: [...s.watched.containers, { id: victim.Id, name: victim.Name.slice(1) }] })).toEqual([]);
    const rb = await runCli(['rollback'], { env: s.env });
    expect(rb.stdout).toMatch(/0 orphan\(s\) removed/);
  });
});
