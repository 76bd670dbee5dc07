// The run's engine holder against a real engine: started by `open`, it takes each engine-held fault
// over its stdin (no container per fault), ends a fault nobody reverted at its expiry even after
// the runner's channel closed, is released by a revert and removed at close, and a sweep by another
// process ends what it holds from its log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../src/domain/experiment.js';
import type { Experiment } from '../../src/domain/experiment.js';
import type { RunContext } from '../../src/domain/context.js';
import type { Target } from '../../src/domain/model.js';
import type { Hold } from '../../src/drivers/driver.js';
import { DockerDriver } from '../../src/drivers/docker/index.js';
import { activeHolds, stdoutOf } from '../../src/drivers/docker/holder-log.js';
import type { RunHolder } from '../../src/drivers/docker/run-holder.js';
import { faultOf, holdFor } from '../support/faults.js';
import type Dockerode from 'dockerode';
import { Lab, ensureDocker } from './lab.js';

const lab = new Lab('runh');
/** Long enough that no holder fires before the assertions made right after an injection. */
const HOLD_MS = 6000;
const EXPIRED_WITHIN_MS = HOLD_MS + 20_000;
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

const experiment = { spec: { faults: [{ pause: { target: 'g' }, for: 1000 }] } } as unknown as Experiment;

function inject<K extends FaultKind>(kind: K, d: DockerDriver, t: Target, params: Record<string, unknown>, hold: Hold, ctx: RunContext = lab.ctx()) {
  const groups = new Map([['g', [t]]]);
  return faultOf(kind).inject(t, { params: { target: 'g', ...params } as never, driver: d, groups }, ctx, hold);
}

async function holders(): Promise<{ id: string; labels: Record<string, string>; state: string }[]> {
  const list = await lab.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${lab.runId}`, 'faultline.holder'] } });
  return list.map((c) => ({ id: c.Id, labels: c.Labels, state: c.State }));
}

const state = async (id: string) => (await lab.docker.getContainer(id).inspect()).State;
const held = async (id: string) => activeHolds(stdoutOf((await lab.docker.getContainer(id).logs({ stdout: true, follow: false })) as unknown as Buffer));

/** A driver opened for a run with a held pause: its engine holder starts in the background. */
async function opened(debug: string[] = [], docker = lab.docker): Promise<{ d: DockerDriver; ctx: RunContext }> {
  const ctx = { ...lab.ctx(), log: { info() {}, warn() {}, error() {}, debug: (m: string) => debug.push(m) } };
  const d = lab.driver({}, docker);
  await d.open(experiment, ctx);
  return { d, ctx };
}

describe("the run's engine holder", { timeout: 120_000 }, () => {
  it('holds each engine-held fault registered over its stdin, is released by the revert and removed at close', async () => {
    const a = await lab.container();
    const b = await lab.container();
    const { d, ctx } = await opened();
    const pause = await inject('pause', d, await lab.target(a), {}, holdFor('pause', 60_000), ctx);
    const cpu = await inject('cpu', d, await lab.target(b), { cpus: 0.3 }, holdFor('cpu', 60_000), ctx);
    expect((await state(a.Id)).Paused).toBe(true);
    // One container holds both: none was started per fault.
    const [h, ...more] = await holders();
    expect(more).toEqual([]);
    expect(h!.labels).toMatchObject({ 'faultline.helper': '1', 'faultline.run-id': lab.runId, 'faultline.holder': 'run-engine' });
    // No network namespace of its own to make: the engine's socket is all it uses.
    expect((await lab.docker.getContainer(h!.id).inspect()).HostConfig.NetworkMode).toBe('host');
    expect((cpu.undo as { holders: string[] }).holders).toEqual([`${h!.id}:h2`]);
    expect((await held(h!.id)).map((x) => [x.id, x.record?.kind, x.record?.target])).toEqual([
      ['h1', 'pause', a.Id],
      ['h2', 'cpu', b.Id],
    ]);
    expect(await pause.revert(ctx)).toEqual({});
    expect(await cpu.revert(ctx)).toEqual({});
    expect(await held(h!.id)).toEqual([]);
    expect((await state(a.Id)).Paused).toBe(false);
    await d.close(ctx);
    expect(await holders()).toEqual([]);
  });

  // The real engine, except that it answers a container in the host's namespace as a rootless or
  // remapped engine may: this one accepts it, so the refusal is the one thing simulated here.
  const refusing = () =>
    new Proxy(lab.docker, {
      get(engine, key, receiver) {
        if (key !== 'createContainer') return Reflect.get(engine, key, receiver);
        return (spec: Dockerode.ContainerCreateOptions) =>
          spec.HostConfig?.NetworkMode === 'host'
            ? Promise.reject(Object.assign(new Error('(HTTP code 400) unexpected - cannot share the host\'s network namespace when user namespaces are enabled'), { statusCode: 400 }))
            : engine.createContainer(spec);
      },
    });

  it("on an engine that refuses the host's network namespace (rootless or remapped ones may), holds in a namespace of its own", async () => {
    const debug: string[] = [];
    const a = await lab.container();
    const { d, ctx } = await opened(debug, refusing());
    const pause = await inject('pause', d, await lab.target(a), {}, holdFor('pause', 60_000), ctx);
    expect((await state(a.Id)).Paused).toBe(true);
    const [h, ...more] = await holders();
    expect(more).toEqual([]);
    expect((await lab.docker.getContainer(h!.id).inspect()).HostConfig.NetworkMode).toBe('none');
    expect(debug.join('\n')).toMatch(/host's network namespace did not start .*cannot share the host's network namespace.*; trying it in a namespace of its own/);
    expect(await pause.revert(ctx)).toEqual({});
    expect((await state(a.Id)).Paused).toBe(false);
    await d.close(ctx);
    expect(await holders()).toEqual([]);
  });

  it('once the run is being stopped (Ctrl-C, SIGTERM), a refused holder is not started again, and its fault is not injected', async () => {
    const a = await lab.container();
    const stopping = new AbortController();
    stopping.abort(new Error('interrupted'));
    const ctx = { ...lab.ctx(), signal: stopping.signal };
    // No run holder: the fault's own holder is the one refused.
    const d = lab.driver({}, refusing());
    await expect(inject('pause', d, await lab.target(a), {}, holdFor('pause', 60_000), ctx)).rejects.toThrow(/cannot share the host's network namespace.*the fault was not injected/);
    expect((await state(a.Id)).Paused).toBe(false);
    expect(await holders()).toEqual([]);
  });

  it('ends a fault nobody reverted at its expiry after its channel closed (the runner died), then exits', async () => {
    const a = await lab.container();
    const { d, ctx } = await opened();
    await inject('pause', d, await lab.target(a), {}, holdFor('pause', HOLD_MS), ctx);
    expect((await state(a.Id)).Paused).toBe(true);
    // close() with a hold still armed only closes the holder's stdin, as a runner's death does.
    await d.close(ctx);
    const [h] = await holders();
    expect(h!.state).toBe('running');
    await lab.until(async () => !(await state(a.Id)).Paused && (await holders()).length === 0, EXPIRED_WITHIN_MS);
    expect((await state(a.Id)).Running).toBe(true);
  });

  it('a holder whose runner died before registering anything exits by itself', async () => {
    const { d } = await opened();
    await lab.until(async () => (await holders()).some((h) => h.state === 'running'), 60_000);
    // Only its channel closes, as when the runner dies: d.close() would also remove it, and the
    // test would pass whether or not the holder exits by itself.
    const run = await (d as unknown as { holders: { run: Promise<RunHolder> } }).holders.run;
    run.close();
    await lab.until(async () => (await holders()).length === 0, 30_000);
  });

  it('a sweep by another process ends what the holder holds, from its log, and removes it', async () => {
    const a = await lab.container();
    const b = await lab.container();
    const { d, ctx } = await opened();
    await inject('pause', d, await lab.target(a), {}, holdFor('pause', 60_000), ctx);
    await inject('stop', d, await lab.target(b), { timeout: 1000, restore: true }, holdFor('stop', 60_000), ctx);
    const fresh = new DockerDriver(lab.docker, { where: 'test' });
    const removed = await fresh.sweep(lab.runId, lab.ctx());
    expect(removed.join('\n')).toMatch(/pause "pause-0" on .*fault ended from its record/);
    expect(removed.join('\n')).toMatch(/stop "stop-0" on .*fault ended from its record/);
    expect(removed.join('\n')).toMatch(/the run's engine holder\): removed/);
    expect((await state(a.Id)).Paused).toBe(false);
    expect((await state(b.Id)).Running).toBe(true);
    expect(await holders()).toEqual([]);
    expect(await fresh.sweep(lab.runId, lab.ctx())).toEqual([]);
    await d.close(ctx);
  });

  it('a rollback by another process ends a held fault once: from its ledger record, and the sweep after it does not replay it', async () => {
    const a = await lab.container();
    const { d, ctx } = await opened();
    const pause = await inject('pause', d, await lab.target(a), {}, holdFor('pause', 60_000), ctx);
    // What `faultline rollback` does in a process of its own: each ledger record's revert, then a sweep.
    const fresh = new DockerDriver(lab.docker, { where: 'test' });
    expect(await faultOf('pause').revert(await lab.target(a), pause.undo, fresh, lab.ctx())).toEqual({});
    expect((await state(a.Id)).Paused).toBe(false);
    const removed = await fresh.sweep(lab.runId, lab.ctx());
    expect(removed.join('\n')).not.toMatch(/fault ended from its record/);
    expect(removed.join('\n')).toMatch(/the run's engine holder\): removed/);
    expect(await holders()).toEqual([]);
    await d.close(ctx);
  });

  it('a revert after the holder was removed under the run (a halt, a sweep elsewhere) stands: nothing is left to fire', async () => {
    const a = await lab.container();
    const { d, ctx } = await opened();
    const pause = await inject('pause', d, await lab.target(a), {}, holdFor('pause', 60_000), ctx);
    const [h] = await holders();
    await lab.docker.getContainer(h!.id).remove({ force: true });
    expect(await pause.revert(ctx)).toEqual({});
    expect((await state(a.Id)).Paused).toBe(false);
    await d.close(ctx);
  });

  it('without a run holder (it could not start) each fault gets a holder container of its own, and a debug line says so', async () => {
    const a = await lab.container();
    const debug: string[] = [];
    const ctx = { ...lab.ctx(), log: { info() {}, warn() {}, error() {}, debug: (m: string) => debug.push(m) } };
    // No open(): nothing was started ahead (a library caller injecting directly).
    const d = lab.driver();
    const inj = await inject('pause', d, await lab.target(a), {}, holdFor('pause', 60_000), ctx);
    const [h] = await holders();
    expect(h!.labels['faultline.holder']).toBe('pause');
    expect(debug.join('\n')).toMatch(/no engine holder was started ahead/);
    await inj.revert(ctx);
    expect(await holders()).toEqual([]);
  });
});
