// Selector -> candidate pods. The namespaces searched are always explicit (the context's namespace
// by default, every namespace only with allNamespaces: true); system namespaces, hostNetwork pods,
// pods without the opt-in mark and faultline's own pods are left out, and when those rules leave
// nothing the message says which rule did it.
import pLimit from 'p-limit';
import type { V1ObjectMeta, V1Pod } from '@kubernetes/client-node';
import type { RunContext } from '../../domain/context.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { SelectorSpec } from '../../domain/experiment.js';
import type { Target } from '../../domain/model.js';
import type { ClusterApi } from './cluster-api.js';
import { SELF_LABEL, SELF_VALUE, SYSTEM_NAMESPACES } from './labels.js';
import { podTarget } from './pod-target.js';
import { fieldSelectorText, labelSelectorText, workloadSelectorText } from './selector-text.js';

export interface SelectionPolicy {
  defaultNamespace: string;
  /** safety.allowSystemNamespaces: kube-system and hostNetwork pods become eligible. */
  allowSystem: boolean;
  /** safety.requireOptIn: "key" or "key=value", as a label or an annotation. */
  requireOptIn?: string;
}

const PAGE = 500;

export async function selectPods(api: ClusterApi, selector: SelectorSpec, group: string, policy: SelectionPolicy, ctx: RunContext): Promise<Target[]> {
  const where = `target "${group}"`;
  const namespaces = selector.allNamespaces ? undefined : selector.namespaces ?? [policy.defaultNamespace];
  if (namespaces && !policy.allowSystem) {
    const system = namespaces.filter((n) => SYSTEM_NAMESPACES.includes(n));
    if (system.length > 0) {
      throw new InvalidInputError(`${where}: namespace "${system[0]}" is a system namespace; faultline refuses it unless the experiment sets safety.allowSystemNamespaces: true`);
    }
  }
  let labelSelector = labelSelectorText(selector.labels, selector.expressions, where);
  const fieldSelector = fieldSelectorText(selector.fields, selector.node, selector.names);
  let ownerUids: Set<string> | undefined;
  if (selector.owner) {
    const resolved = await resolveOwner(api, selector.owner, namespaces ?? [], where, namespaces === undefined);
    ownerUids = resolved.podOwnerUids;
    labelSelector = [labelSelector, resolved.selector].filter(Boolean).join(',');
  }

  const pods = await listPods(api, namespaces, labelSelector, fieldSelector);
  const names = selector.names && selector.names.length > 1 ? new Set(selector.names) : undefined;
  const matched = pods.filter(
    (p) =>
      !p.metadata?.deletionTimestamp &&
      p.status?.phase !== 'Succeeded' &&
      p.status?.phase !== 'Failed' &&
      p.metadata?.labels?.[SELF_LABEL] !== SELF_VALUE &&
      (!names || names.has(p.metadata!.name!)) &&
      (!ownerUids || (p.metadata?.ownerReferences ?? []).some((o) => ownerUids!.has(o.uid))),
  );

  const refused: string[] = [];
  const eligible = matched.filter((p) => {
    const id = `${p.metadata!.namespace}/${p.metadata!.name}`;
    if (!policy.allowSystem && SYSTEM_NAMESPACES.includes(p.metadata!.namespace!)) return refused.push(`${id} (system namespace)`), false;
    if (!policy.allowSystem && p.spec?.hostNetwork) return refused.push(`${id} (hostNetwork)`), false;
    if (policy.requireOptIn && !optedIn(p.metadata!, policy.requireOptIn)) return refused.push(`${id} (no ${policy.requireOptIn} label or annotation)`), false;
    return true;
  });
  if (refused.length > 0) ctx.log.warn(`${where}: left out ${refused.length} pod(s) by the safety rules: ${refused.slice(0, 10).join(', ')}${refused.length > 10 ? ', ...' : ''}`);
  if (eligible.length === 0 && refused.length > 0) {
    throw new InvalidInputError(
      `${where}: all ${refused.length} matching pod(s) were refused by the safety rules (${refused.slice(0, 5).join(', ')}${refused.length > 5 ? ', ...' : ''}). ` +
        'System namespaces and hostNetwork pods need safety.allowSystemNamespaces: true; safety.requireOptIn needs the label or annotation on each pod.',
    );
  }
  return eligible.map((p) => podTarget(p, group)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function optedIn(meta: V1ObjectMeta, rule: string): boolean {
  const [key, value] = rule.includes('=') ? [rule.slice(0, rule.indexOf('=')), rule.slice(rule.indexOf('=') + 1)] : [rule, undefined];
  return [meta.labels, meta.annotations].some((m) => m !== undefined && key in m && (value === undefined || m[key] === value));
}

async function listPods(api: ClusterApi, namespaces: string[] | undefined, labelSelector: string, fieldSelector: string): Promise<V1Pod[]> {
  const q = { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}), limit: PAGE };
  const pageAll = async (namespace: string | undefined) => {
    const out: V1Pod[] = [];
    let cont: string | undefined;
    do {
      const page = await api.call({ verb: 'list', resource: 'pods', group: '', ...(namespace ? { namespace } : {}) }, () =>
        namespace ? api.core.listNamespacedPod({ namespace, ...q, ...(cont ? { _continue: cont } : {}) }) : api.core.listPodForAllNamespaces({ ...q, ...(cont ? { _continue: cont } : {}) }),
      );
      out.push(...page.items);
      cont = page.metadata?._continue || undefined;
    } while (cont);
    return out;
  };
  if (!namespaces) return pageAll(undefined);
  const limit = pLimit(4);
  return (await Promise.all(namespaces.map((n) => limit(() => pageAll(n))))).flat();
}

interface ResolvedOwner {
  /** The workload's own selector, sent to the server to narrow the pod list. */
  selector: string;
  /** The uids pods must name in ownerReferences (the ReplicaSets of a Deployment). */
  podOwnerUids: Set<string>;
}

async function resolveOwner(api: ClusterApi, owner: NonNullable<SelectorSpec['owner']>, namespaces: string[], where: string, all: boolean): Promise<ResolvedOwner> {
  if (all) throw new InvalidInputError(`${where}: an owner selector needs namespaces (the workload "${owner.name}" is looked up by namespace), not allNamespaces`);
  const group = owner.kind === 'Job' ? 'batch' : 'apps';
  const resource = `${owner.kind.toLowerCase()}s`;
  const found: { namespace: string; uid: string; selector: string }[] = [];
  for (const namespace of namespaces) {
    const op = { verb: 'get', resource, group, namespace, name: owner.name };
    const read = async () => {
      const a = api.apps;
      const args = { name: owner.name, namespace };
      switch (owner.kind) {
        case 'Deployment':
          return a.readNamespacedDeployment(args);
        case 'StatefulSet':
          return a.readNamespacedStatefulSet(args);
        case 'DaemonSet':
          return a.readNamespacedDaemonSet(args);
        case 'ReplicaSet':
          return a.readNamespacedReplicaSet(args);
        case 'Job':
          return api.batch.readNamespacedJob(args);
      }
    };
    const w = await api.call(op, read, () => undefined);
    if (w) found.push({ namespace, uid: w.metadata!.uid!, selector: workloadSelectorText(w.spec?.selector) });
  }
  if (found.length === 0) throw new InvalidInputError(`${where}: ${owner.kind} "${owner.name}" not found in namespace(s) ${namespaces.join(', ')}`);
  if (new Set(found.map((f) => f.selector)).size > 1) {
    throw new InvalidInputError(`${where}: ${owner.kind} "${owner.name}" exists in several namespaces with different selectors; name one namespace`);
  }
  const uids = new Set(found.map((f) => f.uid));
  if (owner.kind === 'Deployment') {
    // Pods belong to the Deployment's ReplicaSets, not to the Deployment itself.
    for (const f of found) {
      const rs = await api.call({ verb: 'list', resource: 'replicasets', group: 'apps', namespace: f.namespace }, () =>
        api.apps.listNamespacedReplicaSet({ namespace: f.namespace, ...(f.selector ? { labelSelector: f.selector } : {}) }),
      );
      for (const r of rs.items) if (r.metadata?.ownerReferences?.some((o) => o.uid === f.uid)) uids.add(r.metadata.uid!);
    }
  }
  return { selector: found[0]!.selector, podOwnerUids: uids };
}
