// The Kubernetes driver's fault handlers: the common contract, over the driver's internals.
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import type { FaultHandler } from '../../fault-handler.js';
import type { KubernetesDriver } from '../kubernetes-driver.js';

export type KubernetesFaultHandler<K extends FaultKind, U> = FaultHandler<K, KubernetesDriver, U>;

/** How long what faultline leaves in the cluster stays valid beyond the experiment's own timeline. */
export const EXPIRY_MARGIN_MS = 5 * 60_000;
