// Holder containers against a real engine: each held fault ends on its own at expiry when nobody
// reverts it, a normal revert removes the holder, a sweep ends a holder's fault from the record
// it carries, and a target removed during the fault counts as reverted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../src/domain/experiment.js';
import type { Target } from '../../src/domain/model.js';
import type { Hold } from '../../src/drivers/driver.js';
import { DockerDriver } from '../../src/drivers/docker/index.js';
import { expiryOf, faultOf, holdFor } from '../support/faults.js';
import { Lab, ensureDocker, iptablesSave, qdiscs, sleep } from './lab.js';

const lab = new Lab('hold');
/**
 * Each "fault is in place" assertion is made right after its own injection, and the hold is long
 * enough that its holder cannot have fired by then, even when one injection (a container start)
 * takes seconds on a loaded 2-core machine. The expiry itself is waited for with a deadline.
 */
const HOLD_MS = 6000;
const EXPIRED_WITHIN_MS = HOLD_MS + 20_000;
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

const held = holdFor;

function inject<K extends FaultKind>(kind: K, d: DockerDriver, t: Target, params: Record<string, unknown>, hold?: Hold, peers: Target[] = []) {
  const groups = new Map([['g', [t]], ['p', peers]]);
  return faultOf(kind).inject(t, { params: { target: 'g', ...params } as never, driver: d, groups }, lab.ctx(), hold);
}

async function holders(): Promise<{ id: string; labels: Record<string, string>; state: string }[]> {
  const list = await lab.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${lab.runId}`, 'faultline.holder'] } });
  return list.map((c) => ({ id: c.Id, labels: c.Labels, state: c.State }));
}

const state = async (id: string) => (await lab.docker.getContainer(id).inspect()).State;

describe('holder containers', { timeout: 120_000 }, () => {
  it('a pause ends on its own at expiry: the holder unpauses it through the engine API and removes itself', async () => {
    const c = await lab.container();
    const d = lab.driver();
    const hold = held('pause', HOLD_MS);
    await inject('pause', d, await lab.target(c), {}, hold);
    expect((await state(c.Id)).Paused).toBe(true);
    const [h] = await holders();
    expect(h!.labels).toMatchObject({ 'faultline.helper': '1', 'faultline.run-id': lab.runId, 'faultline.holder': 'pause', 'faultline.target': c.Id, 'faultline.fault': 'pause-0' });
    expect(new Date(h!.labels['faultline.expires-at']!).getTime()).toBe(new Date(new Date(hold.expiresAt).toISOString()).getTime());
    const info = await lab.docker.getContainer(h!.id).inspect();
    expect(info.HostConfig.AutoRemove).toBe(true);
    expect(info.HostConfig.Binds).toEqual(['/var/run/docker.sock:/var/run/docker.sock']);
    // Nobody reverts: faultline "died".
    await lab.until(async () => !(await state(c.Id)).Paused && (await holders()).length === 0, EXPIRED_WITHIN_MS);
    expect((await state(c.Id)).Running).toBe(true);
  });

  it('a normal revert removes the holder, so it never acts on the healed target', async () => {
    const c = await lab.container();
    const d = lab.driver();
    const t = await lab.target(c);
    const inj = await inject('pause', d, t, {}, held('pause', 60_000));
    expect(await holders()).toHaveLength(1);
    expect(await inj.revert(lab.ctx())).toEqual({});
    expect(await holders()).toEqual([]);
    expect((await state(c.Id)).Paused).toBe(false);
  });

  it('stop, cpu and a switch outage end at expiry; stop with restore: false has no holder', async () => {
    const net = await lab.network('sw', '10.219.240.0/24');
    const a = await lab.container({ networks: [{ name: net, ip: '10.219.240.10', aliases: ['a'] }] });
    const b = await lab.container();
    const keep = await lab.container();
    const d = lab.driver();
    const heldOn = async (id: string) => (await holders()).filter((h) => h.labels['faultline.target'] === id).map((h) => h.labels['faultline.holder']);
    await inject('stop', d, await lab.target(a), { timeout: 1000, restore: true }, held('stop', HOLD_MS));
    expect((await state(a.Id)).Running).toBe(false);
    expect(await heldOn(a.Id)).toEqual(['stop']);
    await inject('cpu', d, await lab.target(b), { cpus: 0.3 }, held('cpu', HOLD_MS));
    expect((await lab.docker.getContainer(b.Id).inspect()).HostConfig.CpuQuota).toBe(30_000);
    expect(await heldOn(b.Id)).toEqual(['cpu']);
    await inject('stop', d, await lab.target(keep), { timeout: 1000, restore: false }, held('stop', HOLD_MS));
    expect((await state(keep.Id)).Running).toBe(false);
    expect(await heldOn(keep.Id)).toEqual([]);
    await lab.until(async () => (await state(a.Id)).Running && (await lab.docker.getContainer(b.Id).inspect()).HostConfig.CpuQuota === -1 && (await holders()).length === 0, EXPIRED_WITHIN_MS);
    expect((await state(keep.Id)).Running).toBe(false);

    const sw = faultOf('switch-outage');
    const fc = { params: { network: net }, driver: d, groups: new Map() };
    await sw.inject(sw.victims(fc)[0]!, fc, lab.ctx(), held('switch-outage', HOLD_MS));
    expect((await lab.docker.getContainer(a.Id).inspect()).NetworkSettings.Networks[net]).toBeUndefined();
    await lab.until(async () => (await lab.docker.getContainer(a.Id).inspect()).NetworkSettings.Networks[net]?.IPAddress === '10.219.240.10' && (await holders()).length === 0, EXPIRED_WITHIN_MS);
    expect((await lab.docker.getContainer(a.Id).inspect()).NetworkSettings.Networks[net]!.Aliases).toContain('a');
  });

  it('loss, timeout, dns and bandwidth (both directions) end at expiry: chains, jumps and qdiscs removed by holders in the namespaces', async () => {
    const c = await lab.container();
    const d = lab.driver({ netns: 'nsenter' });
    const t = await lab.target(c);
    const pid = c.State.Pid;
    const holdersOf = async (kind: string) => (await holders()).filter((h) => h.labels['faultline.holder'] === kind);
    for (const [kind, params] of [['loss', { percent: 30, mode: 'drop' }], ['timeout', {}], ['dns', {}]] as const) {
      const inj = await inject(kind, d, t, params, held(kind, HOLD_MS));
      const chains = (inj.undo as { namespaces: { chains: { chain: string }[] }[] }).namespaces.flatMap((n) => n.chains.map((x) => x.chain));
      expect(chains.length).toBeGreaterThan(0);
      const save = await iptablesSave(pid);
      for (const chain of chains) expect(save).toContain(`:${chain} `);
      expect(await holdersOf(kind)).toHaveLength(1);
    }
    await inject('bandwidth', d, t, { rate: 100_000, direction: 'both' }, held('bandwidth', HOLD_MS));
    expect(await qdiscs(pid)).toMatch(/f1a0:/);
    // bandwidth "both" shapes the host side of the veth too: a second holder on the host's network.
    expect(await holdersOf('bandwidth')).toHaveLength(2);
    await lab.until(async () => (await holders()).length === 0, EXPIRED_WITHIN_MS);
    expect(await iptablesSave(pid)).not.toMatch(/FL-/);
    expect(await qdiscs(pid)).not.toMatch(/f1a0:/);
    const { execFile } = await import('node:child_process');
    const host = await new Promise<string>((r) => execFile('tc', ['qdisc', 'show'], (_e, out) => r(out)));
    expect(host).not.toMatch(/f1a0:/);
  });

  it('the delaying proxy: its NAT redirect is removed at expiry by the holder', async () => {
    const net = await lab.network('lat');
    const server = await lab.echoServer({ networks: [{ name: net }] });
    const client = await lab.container({ networks: [{ name: net }] });
    const d = lab.driver();
    await d.network.close();
    const inj = await inject('latency', d, await lab.target(client), { delay: 30, jitter: 0, direction: 'from', peers: ['p'] }, held('latency', HOLD_MS), [await lab.target(server)]);
    if ((inj.undo as { mechanism: string }).mechanism === 'delaying-proxy') expect(await iptablesSave(client.State.Pid)).toMatch(/\*nat[\s\S]*:FL-/);
    else expect(await qdiscs(client.State.Pid)).toMatch(/f1a0:/);
    await lab.until(async () => (await holders()).length === 0, EXPIRED_WITHIN_MS);
    expect(await iptablesSave(client.State.Pid)).not.toMatch(/FL-/);
    expect(await qdiscs(client.State.Pid)).not.toMatch(/f1a0:/);
    await d.close(lab.ctx());
  });

  it('a sweep ends each holder\'s fault at once from the undo it carries (the ledger never got it)', async () => {
    const c = await lab.container();
    const peer = await lab.container();
    const d = lab.driver();
    const t = await lab.target(c);
    await inject('pause', d, t, {}, held('pause', 60_000));
    await inject('cpu', d, await lab.target(peer), { cpus: 0.2 }, held('cpu', 60_000));
    // Another process (rollback) with its own driver: it knows nothing but the run id.
    const fresh = new DockerDriver(lab.docker, { where: 'test' });
    const removed = await fresh.sweep(lab.runId, lab.ctx());
    expect(removed.filter((l) => /^holder container/.test(l))).toHaveLength(2);
    expect(removed.join('\n')).toMatch(/pause "pause-0" on .*fault ended from its record/);
    expect((await state(c.Id)).Paused).toBe(false);
    expect((await lab.docker.getContainer(peer.Id).inspect()).HostConfig.CpuQuota).toBe(-1);
    expect(await holders()).toEqual([]);
    expect(await fresh.sweep(lab.runId, lab.ctx())).toEqual([]);
  });

  it('a target removed during the fault counts as reverted, and its holder is removed', async () => {
    const net = await lab.network('gone');
    const server = await lab.echoServer({ networks: [{ name: net }] });
    const client = await lab.container({ networks: [{ name: net }] });
    const d = lab.driver();
    const ct = await lab.target(client);
    const inj = await faultOf('partition').inject(ct, { params: { from: 'a', to: 'b', direction: 'both' }, driver: d, groups: new Map([['a', [ct]], ['b', [await lab.target(server)]]]) }, lab.ctx(), held('partition', 60_000));
    const paused = await lab.container();
    const pinj = await inject('pause', d, await lab.target(paused), {}, held('pause', 60_000));
    await lab.docker.getContainer(client.Id).remove({ force: true });
    await lab.docker.getContainer(paused.Id).remove({ force: true });
    expect(await inj.revert(lab.ctx())).toMatchObject({ vanished: true });
    expect(await pinj.revert(lab.ctx())).toEqual({ vanished: true });
    expect(await holders()).toEqual([]);
  });

  it('an injection without a hold (library use, no expiry known) starts no holder', async () => {
    const c = await lab.container();
    const d = lab.driver();
    const inj = await inject('pause', d, await lab.target(c), {});
    expect(await holders()).toEqual([]);
    await inj.revert(lab.ctx());
  });

  it('plan says how each held fault expires', () => {
    const d = lab.driver();
    expect(expiryOf(d, 'pause', 3000)).toMatch(/holder container \(faultline-test\/tools:latest, with the engine's socket: the run's engine holder, started during setup, else one for this fault\) unpauses it through the engine API when the TTL \(3s\) is up/);
    expect(expiryOf(d, 'partition', 2500)).toMatch(/holder container \(faultline-test\/tools:latest\) in the container's network namespace removes the run's iptables chain/);
    expect(expiryOf(d, 'latency', 2500)).toMatch(/new connections redirected to it fail \(refused\) until the holder or a rollback removes the redirect/);
    expect(expiryOf(lab.driver({ holders: false }), 'cpu', 2500)).toMatch(/until `faultline rollback`/);
  });

  it('a missing holder image stops the run before anything is touched', async () => {
    const d = lab.driver({ holderImage: 'faultline-test/no-such-image:latest' });
    const experiment = { spec: { driver: 'docker', faults: [{ pause: { target: 'x' }, at: 0, for: 1000 }], docker: { netns: 'auto' } } } as never;
    await expect(d.open(experiment, lab.ctx())).rejects.toThrow(/holder image faultline-test\/no-such-image:latest \(set by the driver option holderImage\) is not present on the engine and pulling it failed: the registry (could not be reached|refused it) \(.+\)\. .*`faultline images --pull`.*FAULTLINE_DOCKER_HOLDER_IMAGE/);
    await sleep(0);
  });
});
