// The Kubernetes adapter of the scheduler's LeaseStore: a coordination.k8s.io/v1 Lease, with its
// resourceVersion as the optimistic-concurrency token. Built only by `schedule run --leader-elect`.
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { statusCodeOf } from './api-errors.js';
import type { LeaseRecord, LeaseStore } from '../../domain/lease.js';

export class KubernetesLeaseStore implements LeaseStore {
  private readonly api: CoordinationV1Api;

  constructor(kubeConfig: KubeConfig, private readonly namespace: string, private readonly name: string) {
    this.api = kubeConfig.makeApiClient(CoordinationV1Api);
  }

  async read(): Promise<LeaseRecord | undefined> {
    try {
      return toRecord(await this.api.readNamespacedLease({ name: this.name, namespace: this.namespace }));
    } catch (e) {
      if (statusCodeOf(e) === 404) return undefined;
      throw e;
    }
  }

  async create(record: Omit<LeaseRecord, 'version'>): Promise<LeaseRecord> {
    const body: V1Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace, labels: { 'app.kubernetes.io/managed-by': 'faultline' } }, spec: toSpec(record) };
    return toRecord(await this.api.createNamespacedLease({ namespace: this.namespace, body }));
  }

  async replace(record: LeaseRecord): Promise<LeaseRecord> {
    const body: V1Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace, resourceVersion: record.version }, spec: toSpec(record) };
    return toRecord(await this.api.replaceNamespacedLease({ name: this.name, namespace: this.namespace, body }));
  }
}

function toSpec(r: Omit<LeaseRecord, 'version'>): V1Lease['spec'] {
  return {
    holderIdentity: r.holder,
    leaseDurationSeconds: r.durationSeconds,
    leaseTransitions: r.transitions,
    ...(r.acquireTime !== undefined ? { acquireTime: new V1MicroTime(r.acquireTime) } : {}),
    ...(r.renewTime !== undefined ? { renewTime: new V1MicroTime(r.renewTime) } : {}),
  };
}

function toRecord(lease: V1Lease): LeaseRecord {
  const s = lease.spec ?? {};
  const time = (t: unknown) => (t === undefined || t === null ? undefined : new Date(t as string | Date).getTime());
  const acquireTime = time(s.acquireTime);
  const renewTime = time(s.renewTime);
  return {
    holder: s.holderIdentity ?? '',
    durationSeconds: s.leaseDurationSeconds ?? 15,
    transitions: s.leaseTransitions ?? 0,
    version: lease.metadata?.resourceVersion ?? '',
    ...(acquireTime !== undefined ? { acquireTime } : {}),
    ...(renewTime !== undefined ? { renewTime } : {}),
  };
}
