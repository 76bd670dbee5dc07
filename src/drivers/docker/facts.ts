// A container as faultline records it: the Target with the facts the journal and the network
// faults need (addresses per network, image, pid).
import type Dockerode from 'dockerode';
import type { JsonValue, Target } from '../../domain/model.js';

export function nameOf(names: readonly string[] | undefined, id: string): string {
  const n = names?.[0];
  return n ? n.replace(/^\//, '') : id.slice(0, 12);
}

export function targetFromList(c: Dockerode.ContainerInfo, group: string): Target {
  const ips: Record<string, JsonValue> = {};
  for (const [net, s] of Object.entries(c.NetworkSettings?.Networks ?? {})) if (s.IPAddress) ips[net] = s.IPAddress;
  return {
    driver: 'docker',
    group,
    id: c.Id,
    name: nameOf(c.Names, c.Id),
    meta: { image: c.Image, state: c.State, ips },
  };
}

export function targetFromInspect(c: Dockerode.ContainerInspectInfo, group: string): Target {
  return {
    driver: 'docker',
    group,
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    meta: { image: c.Config.Image, state: c.State.Status, pid: c.State.Pid, ips: addressesOf(c) },
  };
}

/** IPv4 address per network name. */
export function addressesOf(c: Dockerode.ContainerInspectInfo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [net, s] of Object.entries(c.NetworkSettings?.Networks ?? {})) if (s.IPAddress) out[net] = s.IPAddress;
  return out;
}

/** Addresses recorded at selection time, when a fresh inspect is not worth a round trip. */
export function recordedAddresses(t: Target): Record<string, string> {
  const ips = t.meta.ips;
  if (!ips || typeof ips !== 'object' || Array.isArray(ips)) return {};
  return Object.fromEntries(Object.entries(ips).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
