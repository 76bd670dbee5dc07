// Latency without netem: the target's new TCP connections to each peer port are DNATed, inside the
// target's namespace, to a listener of faultline's fault proxy on the network gateway (the host),
// which delays the bytes and forwards them to the original destination.
import { readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { InvalidInputError } from '../../domain/errors.js';
import { FaultProxy } from '../../proxy/index.js';
import type { Impairment } from '../driver.js';
import { redirectChain } from './impairment-rules.js';
import { listeningPorts } from './listeners.js';
import type { NetnsAccess } from './netns.js';
import type { ChainSpec } from './rules.js';

type Latency = Extract<Impairment, { kind: 'latency' }>;

export interface Route {
  peer: string;
  peerIp: string;
  port: number;
  proxyIp: string;
  proxyPort: number;
}

export interface PeerEndpoint {
  name: string;
  id: string;
  pid: number;
  ip: string;
  gateway: string;
}

/** Peers reachable from the target, each by its address on the first network they share. */
export function sharedEndpoints(target: Dockerode.ContainerInspectInfo, peers: readonly Dockerode.ContainerInspectInfo[]): PeerEndpoint[] {
  const mine = target.NetworkSettings.Networks;
  const out: PeerEndpoint[] = [];
  for (const p of peers) {
    if (p.Id === target.Id) continue;
    for (const [net, s] of Object.entries(p.NetworkSettings.Networks ?? {})) {
      const m = mine[net];
      if (m && s.IPAddress && m.Gateway) {
        out.push({ name: p.Name.replace(/^\//, ''), id: p.Id, pid: p.State.Pid, ip: s.IPAddress, gateway: m.Gateway });
        break;
      }
    }
  }
  return out;
}

async function portsOf(peer: PeerEndpoint, access: NetnsAccess): Promise<number[]> {
  let text: string;
  if (access.mode === 'nsenter') {
    // /proc/<pid>/net is that process's namespace view: no nsenter needed to read it.
    const parts = await Promise.all(['tcp', 'tcp6'].map((f) => readFile(`/proc/${peer.pid}/net/${f}`, 'utf8').catch(() => '')));
    text = parts.join('\n');
  } else {
    text = (await access.run({ id: peer.id, name: peer.name, pid: peer.pid }, ['cat', '/proc/net/tcp', '/proc/net/tcp6'])).stdout;
  }
  return listeningPorts(text, peer.ip);
}

const PROXY_DIRECTION = { from: 'up', to: 'down', both: 'both' } as const;

export async function startDelayingProxy(
  imp: Latency,
  targetName: string,
  peers: readonly PeerEndpoint[],
  access: NetnsAccess,
  rng: () => number,
  chain: string,
  comment: string,
): Promise<{ proxy: FaultProxy; spec: ChainSpec; routes: Route[] }> {
  const proxy = new FaultProxy({ rng });
  try {
    const routes: Route[] = [];
    for (const peer of peers) {
      for (const port of await portsOf(peer, access)) {
        const link = `${peer.name}:${port}`;
        const bound = await proxy.addLink(link, { host: peer.gateway, port: 0 }, { host: peer.ip, port });
        proxy.impair(link, { kind: 'latency', delayMs: imp.delayMs, jitterMs: imp.jitterMs, direction: PROXY_DIRECTION[imp.direction] });
        routes.push({ peer: peer.name, peerIp: peer.ip, port, proxyIp: bound.host, proxyPort: bound.port });
      }
    }
    if (!routes.length) {
      const who = peers.map((p) => p.name).join(', ') || 'no container';
      throw new InvalidInputError(`latency on ${targetName} via the delaying proxy needs TCP listeners to delay, and ${who} listens on none`);
    }
    return { proxy, spec: redirectChain(routes, chain, comment), routes };
  } catch (err) {
    await proxy.close();
    throw err;
  }
}
