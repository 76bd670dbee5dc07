import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultOf } from '../support/faults.js';
import type { FaultKind } from '../../src/domain/experiment.js';
import type { Target } from '../../src/domain/model.js';
import type { DockerDriver } from '../../src/drivers/docker/index.js';
import { Lab, ensureDocker, iptablesSave, qdiscs } from './lab.js';

const lab = new Lab('imp');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

function inject<K extends FaultKind>(kind: K, d: DockerDriver, t: Target, params: Record<string, unknown>, groups: [string, Target[]][] = []) {
  return faultOf(kind).inject(t, { params: { target: 'g', ...params } as never, driver: d, groups: new Map([['g', [t]], ...groups]) }, lab.ctx());
}

/** Sent and received counts of `ping -c n` from inside a container. */
async function ping(id: string, ip: string, n: number): Promise<{ sent: number; received: number }> {
  const r = await lab.exec(id, ['ping', '-c', String(n), '-i', '0.01', '-W', '1', '-q', ip]);
  const m = /(\d+) packets transmitted, (\d+) packets received/.exec(r.stdout);
  if (!m) throw new Error(`unexpected ping output: ${r.stdout} ${r.stderr}`);
  return { sent: Number(m[1]), received: Number(m[2]) };
}

describe('network impairments', { timeout: 60_000 }, () => {
  it('loss drops about the given share of packets, then stops', async () => {
    const net = await lab.network('n');
    const a = await lab.container({ networks: [{ name: net }] });
    const b = await lab.container({ networks: [{ name: net }] });
    const ip = await lab.ipOn(a.Id, net);
    const d = lab.driver();
    const inj = await inject('loss', d, await lab.target(a), { percent: 30, mode: 'drop' });
    // Pinged from the peer: a's echo replies are what it sends, so they are what gets lost (a ping
    // from a itself would stop at the first EPERM that a locally dropped packet returns).
    expect(await iptablesSave(a.State.Pid)).toMatch(/statistic --mode random --probability 0\.(3|29)/);
    const during = await ping(b.Id, ip, 400);
    const lost = 1 - during.received / during.sent;
    expect(lost).toBeGreaterThan(0.18);
    expect(lost).toBeLessThan(0.42);
    expect(await inj.revert(lab.ctx())).toEqual({});
    const after = await ping(b.Id, ip, 50);
    expect(after.received).toBe(50);
    expect(await iptablesSave(a.State.Pid)).not.toMatch(/FL-/);
  });

  it('timeout drops everything but loopback', async () => {
    const net = await lab.network('n');
    const srv = await lab.echoServer({ networks: [{ name: net }] });
    const a = await lab.container({ networks: [{ name: net }] });
    const ip = await lab.ipOn(srv.Id, net);
    const d = lab.driver();
    const inj = await inject('timeout', d, await lab.target(a), {});
    expect(await lab.canConnect(a.Id, ip, 7000)).toBe(false);
    expect((await lab.exec(a.Id, ['ping', '-c', '1', '-W', '1', '127.0.0.1'])).code).toBe(0);
    await inj.revert(lab.ctx());
    expect(await lab.canConnect(a.Id, ip, 7000)).toBe(true);
  });

  it('dns makes name resolution fail, including through Docker\'s embedded resolver', async () => {
    const net = await lab.network('n');
    await lab.container({ name: 'named', networks: [{ name: net, aliases: ['peer-alias'] }] });
    const a = await lab.container({ networks: [{ name: net }] });
    const resolve = async () => (await lab.exec(a.Id, ['node', '-e', "require('dns').lookup('peer-alias',(e)=>process.exit(e?1:0))"])).code === 0;
    expect(await resolve()).toBe(true);
    const d = lab.driver();
    const inj = await inject('dns', d, await lab.target(a), {});
    expect(await resolve()).toBe(false);
    await inj.revert(lab.ctx());
    expect(await resolve()).toBe(true);
  });

  it('bandwidth caps a transfer with tbf, and revert removes only its qdisc', async () => {
    const net = await lab.network('n');
    const sink = await lab.container({ networks: [{ name: net }], cmd: ['node', '-e', "require('net').createServer(s=>{s.resume();s.on('end',()=>s.end('done'))}).listen(7001)"] });
    const a = await lab.container({ networks: [{ name: net }] });
    const ip = await lab.ipOn(sink.Id, net);
    await lab.until(() => lab.canConnect(a.Id, ip, 7001), 20_000);
    const send = `const t=Date.now();const s=require('net').connect(7001,'${ip}',()=>{s.end(Buffer.alloc(1000000))});s.on('data',()=>{console.log(Date.now()-t);process.exit(0)})`;
    const timed = async () => Number((await lab.exec(a.Id, ['node', '-e', send])).stdout.trim());
    const d = lab.driver();
    const inj = await inject('bandwidth', d, await lab.target(a), { rate: 500_000, direction: 'from' });
    expect(await qdiscs(a.State.Pid)).toMatch(/qdisc tbf f1a0: dev eth0 root/);
    // 1 MB at 500 kB/s is two seconds; unshaped it is milliseconds.
    const shaped = await timed();
    expect(shaped).toBeGreaterThan(1600);
    expect(shaped).toBeLessThan(4000);
    expect(await inj.revert(lab.ctx())).toEqual({});
    expect(await qdiscs(a.State.Pid)).not.toMatch(/f1a0/);
    expect(await timed()).toBeLessThan(500);
    expect(await inj.revert(lab.ctx())).toEqual({});
    expect(await d.network.revert(await lab.target(a), inj.undo, lab.ctx())).toEqual({});
  });

  it('bandwidth towards the container shapes the host side of its veth', async () => {
    const net = await lab.network('n');
    const a = await lab.container({ networks: [{ name: net }] });
    const d = lab.driver();
    const inj = await inject('bandwidth', d, await lab.target(a), { rate: 1_000_000, direction: 'to' });
    const undo = inj.undo as { namespaces: { hostDevs: string[] }[] };
    expect(undo.namespaces[0]!.hostDevs).toHaveLength(1);
    await inj.revert(lab.ctx());
  });

  it('works through a helper container too (loss)', async () => {
    const net = await lab.network('n');
    const a = await lab.container({ networks: [{ name: net }] });
    const d = lab.driver({ netns: 'helper' });
    const inj = await inject('loss', d, await lab.target(a), { percent: 50, mode: 'drop' });
    expect(await iptablesSave(a.State.Pid)).toMatch(/probability 0\.(5|49)/);
    expect(await inj.revert(lab.ctx())).toEqual({});
    expect(await iptablesSave(a.State.Pid)).not.toMatch(/FL-/);
    const helpers = await lab.docker.listContainers({ all: true, filters: { label: ['faultline.helper=1', `faultline.run-id=${lab.runId}`] } });
    expect(helpers).toEqual([]);
  });

  it('a stopped target counts as reverted with a note (its namespace is gone)', async () => {
    const net = await lab.network('n');
    const a = await lab.container({ networks: [{ name: net }] });
    const d = lab.driver();
    const inj = await inject('timeout', d, await lab.target(a), {});
    await lab.docker.getContainer(a.Id).stop({ t: 0 });
    const r = await inj.revert(lab.ctx());
    expect(r.note).toMatch(/exited: its network namespace, and the rules in it, went with it/);
  });
});
