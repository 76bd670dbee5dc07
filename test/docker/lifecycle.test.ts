import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultOf } from '../support/faults.js';
import { Lab, ensureDocker } from './lab.js';

const lab = new Lab('life');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

describe('docker lifecycle', () => {
  it('kills with the given signal', async () => {
    const c = await lab.container({ cmd: ['sh', '-c', "trap 'exit 42' USR1; while true; do sleep 0.05; done"] });
    const driver = lab.driver();
    // The signal is sent once the shell catches it (SigCgt has bit 10, SIGUSR1), not after a guess.
    const catches = "const m=require('fs').readFileSync('/proc/1/status','utf8').match(/SigCgt:\\s*(\\w+)/)[1];process.exit(BigInt('0x'+m)&0x200n?0:1)";
    await lab.until(async () => (await lab.exec(c.Id, ['node', '-e', catches])).code === 0, 20_000);
    await driver.lifecycle.kill(await lab.target(c), 'SIGUSR1', lab.ctx());
    await lab.until(async () => !(await lab.docker.getContainer(c.Id).inspect()).State.Running, 20_000);
    expect((await lab.docker.getContainer(c.Id).inspect()).State.ExitCode).toBe(42);
    expect(await driver.lifecycle.state(await lab.target(c), lab.ctx())).toBe('stopped');
  });

  it('a kill is a crash: the restart policy brings the container back (the API path is a manual stop)', async () => {
    const c = await lab.container({ restart: 'always' });
    await lab.driver().lifecycle.kill(await lab.target(c), 'SIGKILL', lab.ctx());
    await lab.until(async () => (await lab.docker.getContainer(c.Id).inspect()).RestartCount === 1, 10_000);
    expect((await lab.docker.getContainer(c.Id).inspect()).State.Running).toBe(true);

    const viaApi = await lab.container({ restart: 'always' });
    await lab.driver({ kill: 'api' }).lifecycle.kill(await lab.target(viaApi), 'SIGKILL', lab.ctx());
    const after = await lab.docker.getContainer(viaApi.Id).inspect();
    expect(after.State.Running).toBe(false);
    expect(after.RestartCount).toBe(0);
  });

  it('pauses and unpauses, and unpause is idempotent', async () => {
    const c = await lab.container();
    const d = lab.driver();
    const t = await lab.target(c);
    const injected = await faultOf('pause').inject(t, { params: { target: 'g' }, driver: d, groups: new Map([['g', [t]]]) }, lab.ctx());
    expect(await d.lifecycle.state(t, lab.ctx())).toBe('paused');
    expect(await injected.revert(lab.ctx())).toEqual({});
    expect(await d.lifecycle.state(t, lab.ctx())).toBe('running');
    expect((await d.lifecycle.unpause(t, lab.ctx())).note).toMatch(/not paused/);
  });

  it('counts an unpause of a vanished container as reverted', async () => {
    const c = await lab.container();
    const d = lab.driver();
    const t = await lab.target(c);
    await d.lifecycle.pause(t, lab.ctx());
    await lab.docker.getContainer(c.Id).remove({ force: true });
    expect(await d.lifecycle.unpause(t, lab.ctx())).toEqual({ vanished: true });
    expect(await d.lifecycle.state(t, lab.ctx())).toBe('gone');
  });

  it('restarts a container (new start time)', async () => {
    const c = await lab.container();
    const d = lab.driver();
    await d.lifecycle.restart(await lab.target(c), 1000, lab.ctx());
    const after = await lab.docker.getContainer(c.Id).inspect();
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).not.toBe(c.State.StartedAt);
  });

  it('stops and starts again on revert; start is idempotent', async () => {
    const c = await lab.container();
    const d = lab.driver();
    const t = await lab.target(c);
    const inj = await faultOf('stop').inject(t, { params: { target: 'g', timeout: 1000, restore: true }, driver: d, groups: new Map([['g', [t]]]) }, lab.ctx());
    expect(await d.lifecycle.state(t, lab.ctx())).toBe('stopped');
    expect(await inj.revert(lab.ctx())).toEqual({});
    expect(await d.lifecycle.state(t, lab.ctx())).toBe('running');
    expect((await d.lifecycle.start(t, lab.ctx())).note).toMatch(/already running/);
  });

  it('names the container when it disappeared between selection and injection', async () => {
    const c = await lab.container({ name: 'doomed' });
    const d = lab.driver();
    const t = await lab.target(c);
    await lab.docker.getContainer(c.Id).remove({ force: true });
    await expect(d.lifecycle.kill(t, 'SIGKILL', lab.ctx())).rejects.toThrow(/doomed.*no longer exists.*after selection/);
    await expect(lab.driver({ kill: 'api' }).lifecycle.kill(t, 'SIGKILL', lab.ctx())).rejects.toThrow(/no longer exists/);
    await expect(d.lifecycle.pause(t, lab.ctx())).rejects.toThrow(/no longer exists/);
    await expect(faultOf('cpu').inject(t, { params: { target: 'g', cpus: 0.5 }, driver: d, groups: new Map([['g', [t]]]) }, lab.ctx())).rejects.toThrow(/no longer exists/);
  });

  it('limits CPU and restores the original quota (unlimited and NanoCpus forms)', async () => {
    const free = await lab.container();
    const capped = await lab.container({ hostConfig: { NanoCpus: 1_500_000_000 } });
    const d = lab.driver();
    const cpu = faultOf('cpu');
    const hc = async (id: string) => (await lab.docker.getContainer(id).inspect()).HostConfig;

    const t1 = await lab.target(free);
    const i1 = await cpu.inject(t1, { params: { target: 'g', cpus: 0.2 }, driver: d, groups: new Map([['g', [t1]]]) }, lab.ctx());
    expect((await hc(free.Id)).CpuQuota).toBe(20_000);
    expect((await hc(free.Id)).CpuPeriod).toBe(100_000);
    await i1.revert(lab.ctx());
    // Docker ignores a zero quota, so "unlimited" comes back as -1 (the cgroup's own word for it).
    expect((await hc(free.Id)).CpuQuota).toBe(-1);
    expect((await hc(free.Id)).NanoCpus).toBe(0);

    const t2 = await lab.target(capped);
    const i2 = await cpu.inject(t2, { params: { target: 'g', cpus: 0.25 }, driver: d, groups: new Map([['g', [t2]]]) }, lab.ctx());
    expect((await hc(capped.Id)).NanoCpus).toBe(250_000_000);
    await i2.revert(lab.ctx());
    expect((await hc(capped.Id)).NanoCpus).toBe(1_500_000_000);
    await lab.docker.getContainer(capped.Id).remove({ force: true });
    expect(await d.lifecycle.restoreCpu(t2, i2.undo, lab.ctx())).toEqual({ vanished: true });
  });
});
