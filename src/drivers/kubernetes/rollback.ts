// Finding and removing what runs left in the cluster, from the marks faultline puts on it: the
// NetworkPolicies labelled managed-by=faultline (with the pod labels their selectors point at),
// impairment helpers still running in pods, and pods whose images a pod-failure replaced (their
// faultline.io/pod-failure annotation). For `faultline rollback` after a crash or a revert
// that failed; the same labels let an operator do it with kubectl.
import type { V1Pod } from '@kubernetes/client-node';
import type { RunContext } from '../../domain/context.js';
import type { ClusterApi } from './cluster-api.js';
import { runHelper } from './helper-container.js';
import { restoreScript } from './helper-scripts.js';
import { EXPIRES_AT, HELPER_PREFIX, MANAGED_BY, MANAGED_BY_VALUE, POD_FAILURE, RUN_ID, labelValue } from './labels.js';
import { restorePartition } from './partition.js';
import { podFailureMark, restorePod, undoFromMark } from './pod-failure.js';
import { podTarget, podFacts } from './pod-target.js';

export interface Leftover {
  kind: 'NetworkPolicy' | 'Impairment' | 'PodFailure';
  namespace: string;
  /** The policy's name, or the pod holding the impairment helper or the pause images. */
  name: string;
  runId: string | null;
  /** When it stops mattering on its own (policy annotation, helper deadline), ISO 8601. */
  expiresAt: string | null;
  /** NetworkPolicy: the run-specific pod label its selector uses. */
  labelKey?: string;
  /** Impairment: the helper container. */
  container?: string;
  podUid?: string;
}

export interface LeftoverQuery {
  /** Only this run's leftovers. Default: every run's. */
  runId?: string;
  /** Namespaces to search. Default: all (needs cluster-wide list permission). */
  namespaces?: string[];
}

async function perNamespace<T>(namespaces: string[] | undefined, one: (ns: string | undefined) => Promise<T[]>): Promise<T[]> {
  if (!namespaces) return one(undefined);
  return (await Promise.all(namespaces.map((n) => one(n)))).flat();
}

export async function findLeftovers(api: ClusterApi, q: LeftoverQuery = {}): Promise<Leftover[]> {
  const labelSelector = [`${MANAGED_BY}=${MANAGED_BY_VALUE}`, ...(q.runId ? [`${RUN_ID}=${labelValue(q.runId)}`] : [])].join(',');
  const policies = await perNamespace(q.namespaces, async (namespace) => {
    const op = { verb: 'list', resource: 'networkpolicies', group: 'networking.k8s.io', ...(namespace ? { namespace } : {}) };
    const res = await api.call(op, () => (namespace ? api.net.listNamespacedNetworkPolicy({ namespace, labelSelector }) : api.net.listNetworkPolicyForAllNamespaces({ labelSelector })));
    return res.items.map(
      (p): Leftover => ({
        kind: 'NetworkPolicy',
        namespace: p.metadata!.namespace!,
        name: p.metadata!.name!,
        runId: p.metadata?.labels?.[RUN_ID] ?? null,
        expiresAt: p.metadata?.annotations?.[EXPIRES_AT] ?? null,
        ...(Object.keys(p.spec?.podSelector?.matchLabels ?? {})[0] ? { labelKey: Object.keys(p.spec!.podSelector!.matchLabels!)[0]! } : {}),
      }),
    );
  });
  const pods = await perNamespace(q.namespaces, async (namespace) => {
    const op = { verb: 'list', resource: 'pods', group: '', ...(namespace ? { namespace } : {}) };
    const res = await api.call(op, () => (namespace ? api.core.listNamespacedPod({ namespace }) : api.core.listPodForAllNamespaces({})));
    return res.items.flatMap((p) => [...runningImpairments(p, q.runId), ...failedPod(p, q.runId)]);
  });
  return [...policies, ...pods];
}

function runningImpairments(pod: V1Pod, runId: string | undefined): Leftover[] {
  const specs = pod.spec?.ephemeralContainers ?? [];
  return (pod.status?.ephemeralContainerStatuses ?? [])
    .filter((s) => s.name.startsWith(`${HELPER_PREFIX}impair-`) && s.state?.running)
    .flatMap((s) => {
      const env = Object.fromEntries((specs.find((c) => c.name === s.name)?.env ?? []).map((e) => [e.name, e.value ?? '']));
      if (runId && env.FAULTLINE_RUN_ID !== runId) return [];
      const deadline = Number(env.FAULTLINE_DEADLINE);
      return [
        {
          kind: 'Impairment' as const,
          namespace: pod.metadata!.namespace!,
          name: pod.metadata!.name!,
          runId: env.FAULTLINE_RUN_ID ?? null,
          expiresAt: Number.isFinite(deadline) && deadline > 0 ? new Date(deadline * 1000).toISOString() : null,
          container: s.name,
          podUid: pod.metadata!.uid!,
        },
      ];
    });
}

function failedPod(pod: V1Pod, runId: string | undefined): Leftover[] {
  const undo = undoFromMark(pod);
  if (pod.metadata?.annotations?.[POD_FAILURE] === undefined || (runId && undo?.runId !== runId)) return [];
  return [{ kind: 'PodFailure', namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, runId: undo?.runId ?? null, expiresAt: podFailureMark(pod)?.expiresAt ?? null, podUid: pod.metadata!.uid! }];
}

/** One line for a report: "NetworkPolicy shop/faultline-partition-..." or "impairment helper ... in pod shop/web-1". */
export function describeLeftover(l: Leftover): string {
  if (l.kind === 'PodFailure') return `pod-failure of pod ${l.namespace}/${l.name} (pause images; the originals are in its ${POD_FAILURE} annotation)`;
  return l.kind === 'NetworkPolicy' ? `NetworkPolicy ${l.namespace}/${l.name} (and its pod labels)` : `impairment helper ${l.container} in pod ${l.namespace}/${l.name}`;
}

export interface RollbackResult {
  removed: Leftover[];
  failed: { leftover: Leftover; error: string }[];
}

/** Removes every leftover found; one that cannot be removed is reported, the others still go. */
export async function rollback(api: ClusterApi, q: LeftoverQuery, image: string, helperTimeoutMs: number, ctx: RunContext): Promise<RollbackResult> {
  const found = await findLeftovers(api, q);
  const result: RollbackResult = { removed: [], failed: [] };
  for (const l of found) {
    try {
      await removeLeftover(api, l, q.namespaces, image, helperTimeoutMs, ctx);
      result.removed.push(l);
    } catch (err) {
      result.failed.push({ leftover: l, error: (err as Error).message });
    }
  }
  return result;
}

/**
 * Removes one leftover: a policy with the labels its selector uses (looked for in `namespaces`,
 * since peers may live elsewhere), or an impairment through a restore helper. Already gone is done.
 */
export async function removeLeftover(api: ClusterApi, l: Leftover, namespaces: string[] | undefined, image: string, helperTimeoutMs: number, ctx: RunContext): Promise<void> {
  if (l.kind === 'NetworkPolicy') {
    const labelled = l.labelKey ? await podsLabelled(api, l.labelKey, namespaces) : [];
    await restorePartition(api, { type: 'partition', namespace: l.namespace, policies: [l.name], labelKey: l.labelKey ?? '', labelled });
    return;
  }
  const pod = await api.call({ verb: 'get', resource: 'pods', group: '', namespace: l.namespace, name: l.name }, () => api.core.readNamespacedPod({ name: l.name, namespace: l.namespace }), () => undefined);
  if (!pod) return;
  if (l.kind === 'PodFailure') {
    const undo = undoFromMark(pod);
    if (!undo) throw new Error(`its ${POD_FAILURE} annotation is not one faultline wrote (${pod.metadata?.annotations?.[POD_FAILURE]?.slice(0, 200)}); put the images back by hand`);
    await restorePod(api, undo);
    return;
  }
  const out = await runHelper(api, podFacts(podTarget(pod, 'rollback')), { action: 'restore', image, script: restoreScript(), runId: l.runId ?? ctx.runId, netAdmin: true, until: 'terminated' }, helperTimeoutMs, ctx);
  if (out.state === 'terminated' && out.exitCode !== 0) throw new Error(`the restore helper exited ${out.exitCode}`);
}

async function podsLabelled(api: ClusterApi, key: string, namespaces: string[] | undefined): Promise<{ namespace: string; pod: string }[]> {
  return perNamespace(namespaces, async (namespace) => {
    const op = { verb: 'list', resource: 'pods', group: '', ...(namespace ? { namespace } : {}) };
    const res = await api.call(op, () => (namespace ? api.core.listNamespacedPod({ namespace, labelSelector: key }) : api.core.listPodForAllNamespaces({ labelSelector: key })));
    return res.items.map((p) => ({ namespace: p.metadata!.namespace!, pod: p.metadata!.name! }));
  });
}
