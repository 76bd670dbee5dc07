// Every fault kind the Kubernetes driver supports, and how. What `validate` and `plan` say it
// supports is derived from this list; loading it does not load @kubernetes/client-node.
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import type { KubernetesFaultHandler } from './handler.js';
import { bandwidth, latency, loss, partition } from './network.js';
import { podFailure } from './pod-failure.js';
import { containerKill, podDelete, podKill } from './pod-faults.js';
import { scale } from './scale.js';

/** Each handler has its own undo type; the registry erases it. */
export type KubernetesFaults = { readonly [K in FaultKind]?: KubernetesFaultHandler<K, any> };

export const KUBERNETES_FAULTS: KubernetesFaults = {
  'pod-delete': podDelete,
  'pod-kill': podKill,
  'container-kill': containerKill,
  'pod-failure': podFailure,
  scale,
  partition,
  latency,
  loss,
  bandwidth,
};
