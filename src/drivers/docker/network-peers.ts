// The containers a network fault is aimed at: named peers, or every neighbour on the target's
// networks (never faultline's own helpers or the container faultline runs in).
import type Dockerode from 'dockerode';
import type { Target } from '../../domain/model.js';
import { isNotFound } from './errors.js';
import { HELPER_LABEL } from './labels.js';
import { sharedEndpoints } from './latency-proxy.js';

/** The running containers among `targets`, inspected; vanished ones are left out. */
export async function inspectRunning(docker: Dockerode, targets: readonly Target[]): Promise<Dockerode.ContainerInspectInfo[]> {
  const infos = await Promise.all(targets.map((p) => docker.getContainer(p.id).inspect().catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)))));
  return infos.filter((i): i is Dockerode.ContainerInspectInfo => i !== undefined && i.State.Running);
}

/** Every other running container on the target's networks. */
export async function neighbours(docker: Dockerode, info: Dockerode.ContainerInspectInfo, selfId: string | undefined): Promise<Dockerode.ContainerInspectInfo[]> {
  const ids = new Set<string>();
  for (const net of Object.keys(info.NetworkSettings.Networks)) {
    if (net === 'host' || net === 'none') continue;
    const list = await docker.listContainers({ filters: { network: [net] } });
    for (const c of list) if (c.Id !== info.Id && c.Id !== selfId && c.Labels?.[HELPER_LABEL] === undefined) ids.add(c.Id);
  }
  return inspectRunning(docker, [...ids].map((id) => ({ driver: 'docker', group: '', id, name: id, meta: {} })));
}

export async function peerIps(docker: Dockerode, info: Dockerode.ContainerInspectInfo, peers: readonly Target[]): Promise<string[]> {
  return sharedEndpoints(info, await inspectRunning(docker, peers)).map((e) => e.ip);
}
