import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultOf } from '../support/faults.js';
import type { DockerDriver } from '../../src/drivers/docker/index.js';
import { Lab, ensureDocker } from './lab.js';

const lab = new Lab('sw');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

function outage(d: DockerDriver, network: string) {
  const fc = { params: { network }, driver: d, groups: new Map() };
  const f = faultOf('switch-outage');
  const [victim] = f.victims(fc);
  return { victim: victim!, describe: f.describe(victim!, fc), inject: () => f.inject(victim!, fc, lab.ctx()) };
}

const netOf = async (id: string, net: string) => (await lab.docker.getContainer(id).inspect()).NetworkSettings.Networks[net];

describe('switch outage', { timeout: 60_000 }, () => {
  it('disconnects every member and reconnects each with the same IPv4 address and aliases', async () => {
    const net = await lab.network('switch', '10.213.250.0/24');
    const keep = await lab.network('mgmt');
    const primary = await lab.echoServer({ networks: [{ name: net, aliases: ['redis-primary', 'db'] }, { name: keep }] });
    const replica = await lab.container({ networks: [{ name: net, aliases: ['redis-replica'] }] });
    const before = { p: await netOf(primary.Id, net), r: await netOf(replica.Id, net) };
    const d = lab.driver();
    expect((await d.network.members!(net, lab.ctx())).map((t) => t.id).sort()).toEqual([primary.Id, replica.Id].sort());

    const o = outage(d, net);
    expect(o.describe).toMatch(/disconnect every container on Docker network .*same IPv4 address and aliases/);
    const inj = await o.inject();
    expect(await netOf(primary.Id, net)).toBeUndefined();
    expect(await netOf(replica.Id, net)).toBeUndefined();
    expect(await netOf(primary.Id, keep)).toBeDefined();
    expect(await lab.canConnect(replica.Id, before.p!.IPAddress, 7000)).toBe(false);

    expect(await inj.revert(lab.ctx())).toEqual({});
    const after = { p: await netOf(primary.Id, net), r: await netOf(replica.Id, net) };
    expect(after.p!.IPAddress).toBe(before.p!.IPAddress);
    expect(after.r!.IPAddress).toBe(before.r!.IPAddress);
    expect(after.p!.Aliases).toEqual(expect.arrayContaining(['redis-primary', 'db']));
    expect(after.r!.Aliases).toEqual(expect.arrayContaining(['redis-replica']));
    expect(await lab.canConnect(replica.Id, 'redis-primary', 7000)).toBe(true);
    // Idempotent: a second revert (engine, signal handler, ledger) changes nothing.
    expect(await d.network.revert(o.victim, inj.undo, lab.ctx())).toEqual({});
  });

  it('a member that vanished during the outage counts as reverted', async () => {
    const net = await lab.network('switch', '10.213.251.0/24');
    const only = await lab.container({ networks: [{ name: net }] });
    const d = lab.driver();
    const inj = await outage(d, net).inject();
    await lab.docker.getContainer(only.Id).remove({ force: true });
    expect(await inj.revert(lab.ctx())).toMatchObject({ vanished: true });
  });

  it('on a network without a configured subnet, reconnects and reports an address change', async () => {
    const net = await lab.network('auto');
    const a = await lab.container({ networks: [{ name: net, aliases: ['a'] }] });
    const d = lab.driver();
    const inj = await outage(d, net).inject();
    const r = await inj.revert(lab.ctx());
    const now = await netOf(a.Id, net);
    expect(now).toBeDefined();
    expect(now!.Aliases).toContain('a');
    if (r.note) expect(r.note).toMatch(/no configured subnet/);
  });

  it('an unknown network is invalid input', async () => {
    await expect(outage(lab.driver(), 'faultline-no-such-network').inject()).rejects.toThrow(/network "faultline-no-such-network" does not exist/);
  });
});
