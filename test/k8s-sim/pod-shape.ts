// The shape of pods as the API server and kubelet write them: spec from a template, a status for a
// phase and readiness, pod IPs handed out in order.
import { randomBytes } from 'node:crypto';
import type { Obj } from './store.js';

export interface PodOwner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
export const suffix = () => randomBytes(4).toString('hex').slice(0, 5);

export function podBody(p: { name: string; labels: Record<string, string>; annotations?: Record<string, string>; containers: string[]; nodeName: string; hostNetwork: boolean; owner?: PodOwner }): Obj {
  return {
    metadata: {
      name: p.name,
      labels: p.labels,
      ...(p.annotations ? { annotations: p.annotations } : {}),
      ...(p.owner ? { ownerReferences: [{ ...p.owner, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      containers: p.containers.map((c) => ({ name: c, image: `registry.example/${c}:1.0` })),
      nodeName: p.nodeName,
      hostNetwork: p.hostNetwork,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
  };
}

/** Builds pod statuses; owns the pod IP counter. */
export class PodShape {
  private ipCounter = 10;

  status(body: Obj, phase: string, ready: boolean, ip?: string): Obj {
    const podIP = phase === 'Pending' ? undefined : ip ?? (body.spec.hostNetwork ? '192.168.0.10' : this.nextIp());
    return {
      phase,
      ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
      hostIP: '192.168.0.10',
      startTime: now(),
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now() },
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now() },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now() },
      ],
      containerStatuses: (body.spec.containers as Obj[]).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        containerID: `containerd://${randomBytes(16).toString('hex')}`,
        ready,
        started: phase === 'Running',
        restartCount: 0,
        state: phase === 'Running' ? { running: { startedAt: now() } } : { waiting: { reason: 'ContainerCreating' } },
      })),
    };
  }

  private nextIp(): string {
    const n = this.ipCounter++;
    return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
  }
}

export function isReady(p: Obj): boolean {
  return (p.status?.conditions as Obj[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function setReady(p: Obj, ready: boolean): void {
  for (const c of (p.status.conditions ?? []) as Obj[]) {
    if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = ready ? 'True' : 'False';
  }
  if (!ready) for (const cs of (p.status.containerStatuses ?? []) as Obj[]) cs.ready = false;
}
