// Traffic-control qdiscs faultline installs at the root of an interface: tbf for bandwidth, netem for
// latency where the kernel has it. They carry handle f1a0:, so revert deletes only its own qdisc.
import type { CommandResult } from '../../domain/command.js';

export const HANDLE = 'f1a0:';

export interface Iface {
  name: string;
  /** The ifindex of its veth peer in the host namespace, when it has one. */
  peerIndex?: number;
}

/** Parses `ip -o link show`: "7: eth0@if8: <...>" (the @if part names the peer's ifindex). */
export function parseLinks(out: string): (Iface & { index: number })[] {
  const links: (Iface & { index: number })[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\d+):\s+([^:@\s]+)(?:@if(\d+))?:/.exec(line);
    if (!m) continue;
    links.push({ index: Number(m[1]), name: m[2]!, ...(m[3] ? { peerIndex: Number(m[3]) } : {}) });
  }
  return links;
}

export function tbfArgs(dev: string, bytesPerSecond: number): string[] {
  const bits = Math.max(8, Math.round(bytesPerSecond * 8));
  // The bucket must hold at least one MTU-sized packet and about 10ms of traffic, or tbf stalls.
  const burst = Math.max(3200, Math.round(bytesPerSecond / 100));
  return ['tc', 'qdisc', 'add', 'dev', dev, 'root', 'handle', HANDLE, 'tbf', 'rate', `${bits}bit`, 'burst', String(burst), 'latency', '200ms'];
}

export function netemArgs(dev: string, delayMs: number, jitterMs: number): string[][] {
  const delay = ['delay', `${delayMs}ms`, ...(jitterMs > 0 ? [`${jitterMs}ms`] : [])];
  return [['tc', 'qdisc', 'add', 'dev', dev, 'root', 'handle', HANDLE, 'netem', ...delay]];
}

/** netem only for traffic to some peers: a prio qdisc whose fourth band (only reached through the filters) delays. */
export function netemToPeersArgs(dev: string, delayMs: number, jitterMs: number, peerIps: readonly string[]): string[][] {
  const delay = ['delay', `${delayMs}ms`, ...(jitterMs > 0 ? [`${jitterMs}ms`] : [])];
  return [
    ['tc', 'qdisc', 'add', 'dev', dev, 'root', 'handle', HANDLE, 'prio', 'bands', '4', 'priomap', '1', '2', '2', '2', '1', '2', '0', '0', '1', '1', '1', '1', '1', '1', '1', '1'],
    ['tc', 'qdisc', 'add', 'dev', dev, 'parent', 'f1a0:4', 'handle', 'f1a1:', 'netem', ...delay],
    ...peerIps.map((ip) => ['tc', 'filter', 'add', 'dev', dev, 'parent', HANDLE, 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', `${ip}/32`, 'flowid', 'f1a0:4']),
  ];
}

export function delArgs(dev: string): string[] {
  return ['tc', 'qdisc', 'del', 'dev', dev, 'root', 'handle', HANDLE];
}

/** Deleting a qdisc that is already gone, or on a device that is gone, is a successful revert. */
export function alreadyGone(r: CommandResult): boolean {
  return r.code === 0 || /Cannot find device|No such file or directory|Invalid handle|Cannot delete qdisc with handle of zero|not found/i.test(r.stderr);
}
