// A pod frozen as a Target: id "namespace/name", plus the facts faults need later (uid, so a
// re-created pod with the same name is never mistaken for the victim; containers; IP; node).
import type { V1Pod } from '@kubernetes/client-node';
import type { JsonValue, Target } from '../../domain/model.js';

export interface PodFacts {
  namespace: string;
  pod: string;
  uid: string;
  node: string | null;
  podIP: string | null;
  owner: string | null;
  containers: string[];
  /** Where exec goes when no container is named: the kubectl.kubernetes.io/default-container annotation, else the first. */
  defaultContainer: string | null;
  hostNetwork: boolean;
}

export function podTarget(pod: V1Pod, group: string): Target {
  const m = pod.metadata!;
  const owner = m.ownerReferences?.find((o) => o.controller) ?? m.ownerReferences?.[0];
  const facts: PodFacts = {
    namespace: m.namespace!,
    pod: m.name!,
    uid: m.uid ?? '',
    node: pod.spec?.nodeName ?? null,
    podIP: pod.status?.podIP ?? null,
    owner: owner ? `${owner.kind}/${owner.name}` : null,
    containers: (pod.spec?.containers ?? []).map((c) => c.name),
    defaultContainer: m.annotations?.['kubectl.kubernetes.io/default-container'] ?? pod.spec?.containers?.[0]?.name ?? null,
    hostNetwork: pod.spec?.hostNetwork ?? false,
  };
  return { driver: 'kubernetes', group, id: `${facts.namespace}/${facts.pod}`, name: `${facts.namespace}/${facts.pod}`, meta: facts as unknown as Record<string, JsonValue> };
}

export function podFacts(t: Target): PodFacts {
  const m = t.meta as unknown as Partial<PodFacts>;
  if (typeof m.namespace !== 'string' || typeof m.pod !== 'string') {
    const [namespace, pod] = t.id.split('/') as [string, string];
    return { namespace, pod, uid: '', node: null, podIP: null, owner: null, containers: [], defaultContainer: null, hostNetwork: false };
  }
  return m as PodFacts;
}
