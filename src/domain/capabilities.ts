// What each driver supports, known without constructing the driver, so that `validate` and `plan`
// reject an experiment before anything is touched. Fault kinds are not listed here: each driver's
// fault registry says which it supports (src/drivers/fault-support.ts).
import type { ProbeKind } from './experiment.js';
import type { DriverName } from './model.js';

export interface DriverCapabilities {
  probes: readonly ProbeKind[];
  /** Selector fields the driver understands. */
  selector: readonly string[];
}

export const CAPABILITIES: Record<DriverName, DriverCapabilities> = {
  process: {
    probes: ['http', 'tcp', 'exec'],
    selector: ['names'],
  },
  docker: {
    probes: ['http', 'tcp', 'exec', 'docker-health'],
    selector: ['names', 'name', 'labels', 'compose', 'network'],
  },
  kubernetes: {
    probes: ['http', 'tcp', 'exec', 'k8s-ready'],
    selector: ['names', 'labels', 'namespaces', 'allNamespaces', 'expressions', 'fields', 'owner', 'node'],
  },
};
