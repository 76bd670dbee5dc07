// partition with NetworkPolicy objects. A policy can only select pods by label, so the victim and
// its peers get a run-specific label first; the policy on the victim then allows every pod and
// address except the peers, in the direction(s) asked for. Everything is labelled with the run id
// and annotated with an expiry; revert deletes the policies and removes the labels.
// Only enforced if the cluster's network plugin implements NetworkPolicy.
import { randomBytes } from 'node:crypto';
import { PatchStrategy, setHeaderOptions, type V1NetworkPolicy, type V1NetworkPolicyPeer } from '@kubernetes/client-node';
import type { RunContext } from '../../domain/context.js';
import type { JsonValue, Target } from '../../domain/model.js';
import type { RevertResult } from '../driver.js';
import type { ClusterApi } from './cluster-api.js';
import { EXPIRES_AT, MANAGED_BY, MANAGED_BY_VALUE, dnsLabel, ownedLabels } from './labels.js';
import { selects } from './label-match.js';
import { podFacts } from './pod-target.js';

export interface PartitionUndo {
  type: 'partition';
  namespace: string;
  policies: string[];
  labelKey: string;
  labelled: { namespace: string; pod: string }[];
  vanished?: boolean;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

async function setLabel(api: ClusterApi, namespace: string, pod: string, key: string, value: string | null): Promise<Record<string, string> | undefined> {
  const op = { verb: 'patch', resource: 'pods', group: '', namespace, name: pod };
  const res = await api.call(op, () => api.core.patchNamespacedPod({ name: pod, namespace, body: { metadata: { labels: { [key]: value } } } }, mergePatch), () => undefined);
  return res ? (res.metadata?.labels ?? {}) : undefined;
}

function allowAllBut(key: string, peerIps: string[]): V1NetworkPolicyPeer[] {
  const v4 = peerIps.filter((ip) => ip.includes('.')).map((ip) => `${ip}/32`);
  const v6 = peerIps.filter((ip) => ip.includes(':')).map((ip) => `${ip}/128`);
  return [
    // Every pod in every namespace except the peers (selected by the label put on them)...
    { namespaceSelector: {}, podSelector: { matchExpressions: [{ key, operator: 'NotIn', values: ['peer'] }] } },
    // ...and every address outside the cluster except the peers' (for plugins that match pod IPs by ipBlock).
    { ipBlock: { cidr: '0.0.0.0/0', ...(v4.length ? { except: v4 } : {}) } },
    { ipBlock: { cidr: '::/0', ...(v6.length ? { except: v6 } : {}) } },
  ];
}

export async function partitionPod(api: ClusterApi, target: Target, peers: Target[], direction: 'to' | 'from' | 'both', expiresAt: number, ctx: RunContext): Promise<JsonValue> {
  const t = podFacts(target);
  // Label key names are limited to 63 characters: "partition-" + run id + a suffix per victim.
  const token = `${dnsLabel(ctx.runId, 44)}-${randomBytes(3).toString('hex')}`;
  const labelKey = `faultline.io/partition-${token}`;
  const undo: PartitionUndo = { type: 'partition', namespace: t.namespace, policies: [], labelKey, labelled: [] };
  try {
    const victimLabels = await setLabel(api, t.namespace, t.pod, labelKey, 'victim');
    if (!victimLabels) {
      ctx.log.warn(`partition: pod ${target.name} vanished before the fault reached it; nothing done`);
      return { ...undo, vanished: true } as unknown as JsonValue;
    }
    undo.labelled.push({ namespace: t.namespace, pod: t.pod });
    const peerIps: string[] = [];
    for (const peer of peers) {
      const p = podFacts(peer);
      if (await setLabel(api, p.namespace, p.pod, labelKey, 'peer')) undo.labelled.push({ namespace: p.namespace, pod: p.pod });
      else ctx.log.warn(`partition: peer pod ${peer.name} vanished; it is not partitioned`);
      if (p.podIP) peerIps.push(p.podIP);
    }
    await warnAboutWidening(api, t.namespace, victimLabels, target, ctx);

    const types = direction === 'both' ? ['Ingress', 'Egress'] : direction === 'from' ? ['Ingress'] : ['Egress'];
    const name = dnsLabel(`faultline-partition-${token}`);
    const rule = allowAllBut(labelKey, peerIps);
    const policy: V1NetworkPolicy = {
      metadata: { name, labels: ownedLabels(ctx.runId), annotations: { [EXPIRES_AT]: new Date(expiresAt).toISOString(), 'faultline.io/description': `partition ${target.name} ${direction} ${peers.length} peer(s)` } },
      spec: {
        podSelector: { matchLabels: { [labelKey]: 'victim' } },
        policyTypes: types,
        ...(types.includes('Ingress') ? { ingress: [{ _from: rule }] } : {}),
        ...(types.includes('Egress') ? { egress: [{ to: rule }] } : {}),
      },
    };
    await api.call({ verb: 'create', resource: 'networkpolicies', group: 'networking.k8s.io', namespace: t.namespace }, () => api.net.createNamespacedNetworkPolicy({ namespace: t.namespace, body: policy }));
    undo.policies.push(name);
    return undo as unknown as JsonValue;
  } catch (err) {
    // Setup failed half-way: take back what was done, then report the original error.
    await restorePartition(api, undo).catch((e: unknown) => ctx.log.error(`partition: clean-up after a failed injection also failed: ${(e as Error).message}`));
    throw err;
  }
}

async function warnAboutWidening(api: ClusterApi, namespace: string, labels: Record<string, string>, target: Target, ctx: RunContext): Promise<void> {
  const list = await api.call({ verb: 'list', resource: 'networkpolicies', group: 'networking.k8s.io', namespace }, () => api.net.listNamespacedNetworkPolicy({ namespace }));
  const existing = list.items.filter((p) => p.metadata?.labels?.[MANAGED_BY] !== MANAGED_BY_VALUE && selects(p.spec?.podSelector, labels));
  if (existing.length > 0) {
    ctx.log.warn(
      `partition: pod ${target.name} is already selected by NetworkPolicy ${existing.map((p) => p.metadata?.name).join(', ')}; ` +
        "policies add up, so faultline's allow-all-but-the-peers rule widens what it accepts while the partition holds",
    );
  }
}

export async function restorePartition(api: ClusterApi, undo: PartitionUndo): Promise<RevertResult> {
  if (undo.vanished) return { vanished: true };
  for (const name of undo.policies) {
    await api.call({ verb: 'delete', resource: 'networkpolicies', group: 'networking.k8s.io', namespace: undo.namespace, name }, () => api.net.deleteNamespacedNetworkPolicy({ name, namespace: undo.namespace }), () => undefined);
  }
  let gone = 0;
  for (const p of undo.labelled) if (!(await setLabel(api, p.namespace, p.pod, undo.labelKey, null))) gone++;
  return gone === undo.labelled.length && undo.labelled.length > 0 ? { vanished: true } : gone > 0 ? { note: `${gone} labelled pod(s) were gone already` } : {};
}
