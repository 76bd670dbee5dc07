import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expiryOf, faultOf } from '../support/faults.js';
import type { Target } from '../../src/domain/model.js';
import type { DockerDriver } from '../../src/drivers/docker/index.js';
import { Lab, ensureDocker, iptablesSave } from './lab.js';

const lab = new Lab('part');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

async function pair() {
  const net = await lab.network('n');
  const server = await lab.echoServer({ networks: [{ name: net }] });
  const client = await lab.container({ networks: [{ name: net }] });
  return { net, server, client, serverIp: await lab.ipOn(server.Id, net) };
}

function partitionOf(d: DockerDriver, from: Target, to: Target, direction: 'to' | 'from' | 'both' = 'both') {
  return faultOf('partition').inject(from, { params: { from: 'a', to: 'b', direction }, driver: d, groups: new Map([['a', [from]], ['b', [to]]]) }, lab.ctx());
}

describe.each(['nsenter', 'helper'] as const)('partition (%s)', { timeout: 60_000 }, (netns) => {
  it('cuts real TCP between two containers and heals it, leaving nothing behind', async () => {
    const { server, client, serverIp } = await pair();
    const d = lab.driver({ netns });
    const before = await iptablesSave(client.State.Pid);
    // An emptied table may stay behind (nftables keeps it); rules and chains must be exactly as before.
    const strip = (save: string) => save.split('\n').filter((l) => l.startsWith('-A') || /^:(?!(INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) )/.test(l));
    expect(await lab.canConnect(client.Id, serverIp, 7000)).toBe(true);

    const inj = await partitionOf(d, await lab.target(client), await lab.target(server));
    expect(await lab.canConnect(client.Id, serverIp, 7000)).toBe(false);
    const during = await iptablesSave(client.State.Pid);
    expect(during).toMatch(new RegExp(`:FL-${lab.runId}-`));
    expect(during).toMatch(new RegExp(`-A INPUT -m comment --comment "?faultline:run=${lab.runId}"? -j FL-`));
    expect(during).toContain(`-d ${serverIp}/32 -j DROP`);

    expect(await inj.revert(lab.ctx())).toEqual({});
    expect(await lab.canConnect(client.Id, serverIp, 7000)).toBe(true);
    expect(strip(await iptablesSave(client.State.Pid))).toEqual(strip(before));
  });
});

describe('partition', { timeout: 60_000 }, () => {
  it('revert removes only its own chain and jumps, and is idempotent', async () => {
    const { server, client } = await pair();
    const d = lab.driver();
    // Someone else's rule in the same namespace must survive our revert.
    await lab.exec(client.Id, ['true']);
    const { execFile } = await import('node:child_process');
    await new Promise((r, j) => execFile('nsenter', ['-t', String(client.State.Pid), '-n', 'iptables', '-A', 'OUTPUT', '-p', 'icmp', '-j', 'ACCEPT'], (e) => (e ? j(e) : r(null))));
    const t = await lab.target(client);
    const inj = await partitionOf(d, t, await lab.target(server), 'to');
    // Re-injecting the same fault replaces, it does not stack.
    const again = await d.network.partition(t, [await lab.target(server)], 'to', lab.ctx());
    const save = await iptablesSave(client.State.Pid);
    expect(save.match(/-j FL-/g)).toHaveLength(1);
    expect(await inj.revert(lab.ctx())).toEqual({});
    expect(await d.network.revert(t, again, lab.ctx())).toEqual({});
    const after = await iptablesSave(client.State.Pid);
    expect(after).not.toMatch(/FL-/);
    expect(after).toContain('-A OUTPUT -p icmp -j ACCEPT');
  });

  it('sweep removes what a dead run left (its chains, its helpers) and nothing of another run', async () => {
    const { server, client } = await pair();
    const d = lab.driver();
    const ct = await lab.target(client);
    const st = await lab.target(server);
    await d.network.partition(ct, [st], 'to', lab.ctx());
    // Differs from the lab's run id in its last character only (a random id may already end in 'z').
    const other = { ...lab.ctx(), runId: `${lab.runId.slice(0, 7)}${lab.runId.endsWith('z') ? 'y' : 'z'}` };
    const kept = await d.network.partition(ct, [st], 'from', other);
    expect(expiryOf(d, 'partition', 1000)).toMatch(/faultline rollback/);
    const removed = await d.sweep(lab.runId, lab.ctx());
    expect(removed).toEqual([expect.stringMatching(new RegExp(`^iptables chain FL-${lab.runId}-\\w+ \\(filter\\) in `))]);
    const save = await iptablesSave(client.State.Pid);
    expect(save).not.toContain(`FL-${lab.runId}-`);
    expect(save).toContain(`FL-${other.runId}-`);
    expect(await d.network.revert(ct, kept, other)).toEqual({});
    expect(await d.sweep(lab.runId, lab.ctx())).toEqual([]);
  });

  it('one direction: "to" drops what the target sends, "from" what it receives', async () => {
    const { server, client, serverIp, net } = await pair();
    const d = lab.driver();
    const clientIp = await lab.ipOn(client.Id, net);
    const inj = await partitionOf(d, await lab.target(server), await lab.target(client), 'from');
    const save = await iptablesSave(server.State.Pid);
    expect(save).toContain(`-s ${clientIp}/32 -j DROP`);
    expect(save).not.toContain(`-d ${clientIp}/32`);
    expect(await lab.canConnect(client.Id, serverIp, 7000)).toBe(false);
    await inj.revert(lab.ctx());
    expect(await lab.canConnect(client.Id, serverIp, 7000)).toBe(true);
  });

  it('counts a vanished target as reverted, and a restarted one as reverted with a note', async () => {
    const { server, client } = await pair();
    const d = lab.driver();
    const inj = await partitionOf(d, await lab.target(client), await lab.target(server));
    await lab.docker.getContainer(client.Id).remove({ force: true });
    expect(await inj.revert(lab.ctx())).toEqual({ vanished: true });

    const other = await lab.container({ networks: [{ name: (await pair()).net }] });
    const srv2 = (await lab.docker.listContainers({ filters: { network: [Object.keys(other.NetworkSettings.Networks)[0]!] } })).find((c) => c.Id !== other.Id)!;
    const inj2 = await partitionOf(d, await lab.target(other), { driver: 'docker', group: 'b', id: srv2.Id, name: 'srv', meta: {} });
    await lab.docker.getContainer(other.Id).restart({ t: 0 });
    const r = await inj2.revert(lab.ctx());
    expect(r.vanished).toBeUndefined();
    expect(r.note).toMatch(/restarted during the fault.*new network namespace/);
  });

  it('rejects groups with no network in common, naming both sides', async () => {
    const a = await lab.container({ networks: [{ name: await lab.network('left') }] });
    const b = await lab.container({ networks: [{ name: await lab.network('right') }] });
    const d = lab.driver();
    await expect(partitionOf(d, await lab.target(a), await lab.target(b))).rejects.toThrow(/shares no Docker network with .*left.*right/);
    expect(await iptablesSave(a.State.Pid)).not.toMatch(/FL-/);
  });

  it('fails clearly when the target disappeared between selection and injection', async () => {
    const { server, client } = await pair();
    const t = await lab.target(client);
    await lab.docker.getContainer(client.Id).remove({ force: true });
    await expect(partitionOf(lab.driver(), t, await lab.target(server))).rejects.toThrow(/no longer exists \(it disappeared after selection\)/);
  });

  it('without root and without a helper image, says why namespaces cannot be entered', async () => {
    const { server, client } = await pair();
    const d = lab.driver({ root: false, helperImage: 'faultline-test/no-such-helper:latest' });
    await expect(partitionOf(d, await lab.target(client), await lab.target(server))).rejects.toThrow(
      /not running as root \(nsenter needs root\).*no-such-helper:latest is not present/,
    );
    const forced = lab.driver({ root: false, netns: 'nsenter' });
    await expect(partitionOf(forced, await lab.target(client), await lab.target(server))).rejects.toThrow(/docker.netns is "nsenter" but faultline is not running as root/);
  });

  it('reverts 20 partitioned containers at once, one iptables-restore per namespace', async () => {
    const net = await lab.network('many');
    const server = await lab.echoServer({ networks: [{ name: net }] });
    const clients = await Promise.all(Array.from({ length: 20 }, () => lab.container({ networks: [{ name: net }] })));
    const d = lab.driver();
    const st = await lab.target(server);
    const injs = await Promise.all(clients.map(async (c) => partitionOf(d, await lab.target(c), st)));
    const t0 = performance.now();
    const results = await Promise.all(injs.map((i) => i.revert(lab.ctx())));
    const ms = performance.now() - t0;
    expect(results.every((r) => !r.vanished && !r.note)).toBe(true);
    for (const c of clients) expect(await iptablesSave(c.State.Pid)).not.toMatch(/FL-/);
    expect(ms).toBeLessThan(2000);
  });
});
