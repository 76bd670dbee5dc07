// The Kubernetes driver's fault handlers: the common contract, over the driver's internals.
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import type { FaultHandler } from '../../fault-handler.js';
import type { KubernetesDriver } from '../kubernetes-driver.js';

export type KubernetesFaultHandler<K extends FaultKind, U> = FaultHandler<K, KubernetesDriver, U>;

/**
 * How long after the end of the experiment's timeline the objects a run leaves in the cluster
 * (NetworkPolicies, impairment helpers) count as expired, so that `faultline reap` on another
 * machine may remove them: minutes, because that machine's clock is not ours.
 */
export const CLUSTER_OBJECT_EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * What Kubernetes faults change on a pod (FaultHandler.touches). Deleting a pod replaces it, and
 * with it the helper's impairment and the partition's label: a fault held on it would end unseen.
 */
export const POD = 'pod';
/** Killing containers keeps the pod, its network namespace and its labels. */
export const POD_CONTAINERS = `${POD}/containers`;
/** Latency, loss and bandwidth are the helper's root qdisc (and, for loss by reset, its iptables rules): the second replaces the first, either revert clears both. */
export const POD_IMPAIRMENT = `${POD}/network namespace impairment`;
/** NetworkPolicies only ever add what they allow: two partitions of one pod allow the union, so each undoes the other. */
export const POD_POLICY = `${POD}/partition NetworkPolicy`;
