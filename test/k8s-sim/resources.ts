// The resource types the simulator serves, with their URL coordinates.
import type { ResourceRef } from './status.js';

export interface ResourceType extends ResourceRef {
  version: string;
  namespaced: boolean;
  /** Field selectors the real API server accepts for this type. */
  fields: readonly string[];
}

const META_FIELDS = ['metadata.name', 'metadata.namespace'] as const;

export const RESOURCES: readonly ResourceType[] = [
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, fields: [...META_FIELDS, 'status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.podIP', 'status.nominatedNodeName', 'spec.hostNetwork'] },
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, fields: ['metadata.name', 'status.phase'] },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false, fields: ['metadata.name', 'spec.unschedulable'] },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, fields: META_FIELDS },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, fields: META_FIELDS },
  { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true, fields: [...META_FIELDS, 'status.replicas'] },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true, fields: META_FIELDS },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true, fields: [...META_FIELDS, 'status.successful'] },
  { group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, fields: META_FIELDS },
  { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true, fields: META_FIELDS },
];

export function resourceFor(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}
