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
