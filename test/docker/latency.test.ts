import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultOf } from '../support/faults.js';
import type { Target } from '../../src/domain/model.js';
import type { DockerDriver } from '../../src/drivers/docker/index.js';
import { Lab, ensureDocker, iptablesSave } from './lab.js';

const lab = new Lab('lat');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

/** Median round trip of a 1-byte TCP ping-pong, measured inside `from`, over a fresh connection. */
async function rtt(from: string, ip: string, port: number, n = 10): Promise<number> {
  const js = `const s=require('net').connect(${port},'${ip}');const r=[];let t;s.setNoDelay(true);
s.on('connect',()=>{t=process.hrtime.bigint();s.write('x')});
s.on('data',()=>{r.push(Number(process.hrtime.bigint()-t)/1e6);if(r.length===${n}){r.sort((a,b)=>a-b);console.log(r[${Math.floor(n / 2)}]);process.exit(0)}t=process.hrtime.bigint();s.write('x')});
s.on('error',e=>{console.error(e.message);process.exit(1)})`;
  const r = await lab.exec(from, ['node', '-e', js]);
  if (r.code !== 0) throw new Error(`ping-pong failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

function latencyOf(d: DockerDriver, t: Target, peers: Target[] | undefined, delay: number, direction: 'to' | 'from' | 'both' = 'from') {
  const groups = new Map<string, Target[]>([['a', [t]]]);
  if (peers) groups.set('b', peers);
  return faultOf('latency').inject(t, { params: { target: 'a', delay, jitter: 0, direction, ...(peers ? { peers: ['b'] } : {}) }, driver: d, groups }, lab.ctx());
}

describe.each(['nsenter', 'helper'] as const)('latency without netem (%s)', { timeout: 60_000 }, (netns) => {
  it('delays the target\'s TCP traffic to its peers through the delaying proxy, then stops', async () => {
    const net = await lab.network('n');
    const server = await lab.echoServer({ networks: [{ name: net }] });
    const client = await lab.container({ networks: [{ name: net }] });
    const ip = await lab.ipOn(server.Id, net);
    const d = lab.driver({ netns });
    const ctx = lab.ctx();
    const base = await rtt(client.Id, ip, 7000);
    expect(base).toBeLessThan(15);

    await d.open({ spec: { faults: [{ latency: {} }] } } as never, ctx);
    const ct = await lab.target(client);
    const st = await lab.target(server);
    expect(faultOf('latency').describe(ct, { params: { target: 'a', delay: 40, jitter: 0, direction: 'from', peers: ['b'] }, driver: d, groups: new Map([['a', [ct]], ['b', [st]]]) })).toMatch(
      /latency \+40ms via delaying proxy \(kernel has no netem qdisc\)/,
    );

    const inj = await latencyOf(d, ct, [st], 40);
    expect(await iptablesSave(client.State.Pid)).toMatch(new RegExp(`-A FL-${lab.runId}-\\w+ -d ${ip.replace(/\./g, '\\.')}/32 -p tcp -m tcp --dport 7000 -j DNAT`));
    const slow = await rtt(client.Id, ip, 7000);
    expect(slow).toBeGreaterThanOrEqual(39);
    expect(slow).toBeLessThan(120);

    expect(await inj.revert(lab.ctx())).toEqual({});
    expect(await rtt(client.Id, ip, 7000)).toBeLessThan(15);
    expect(await iptablesSave(client.State.Pid)).not.toMatch(/FL-/);
  });
});

describe('latency without netem', { timeout: 60_000 }, () => {
  it('without peers, delays traffic to every container on the target\'s networks; "both" delays each way', async () => {
    const net = await lab.network('n');
    const server = await lab.echoServer({ networks: [{ name: net }] });
    const client = await lab.container({ networks: [{ name: net }] });
    const ip = await lab.ipOn(server.Id, net);
    const d = lab.driver();
    const inj = await latencyOf(d, await lab.target(client), undefined, 30, 'both');
    const slow = await rtt(client.Id, ip, 7000);
    expect(slow).toBeGreaterThanOrEqual(59);
    await inj.revert(lab.ctx());
    await d.close(lab.ctx());
  });

  it('a peer on no common network is invalid input', async () => {
    const a = await lab.container({ networks: [{ name: await lab.network('l') }] });
    const b = await lab.echoServer({ networks: [{ name: await lab.network('r') }] });
    await expect(latencyOf(lab.driver(), await lab.target(a), [await lab.target(b)], 10)).rejects.toThrow(/shares no Docker network/);
  });
});
