// What each driver supports, known without constructing the driver, so that `validate` and `plan`
// reject an experiment before anything is touched.
import type { FaultKind, ProbeKind } from './experiment.js';
import type { DriverName } from './model.js';

export interface DriverCapabilities {
  faults: readonly FaultKind[];
  probes: readonly ProbeKind[];
  /** Selector fields the driver understands. */
  selector: readonly string[];
}

export const CAPABILITIES: Record<DriverName, DriverCapabilities> = {
  process: {
    faults: ['kill', 'pause', 'restart', 'latency', 'bandwidth', 'loss', 'timeout', 'partition'],
    probes: ['http', 'tcp', 'exec'],
    selector: ['names'],
  },
  docker: {
    faults: ['kill', 'stop', 'restart', 'pause', 'partition', 'switch-outage', 'latency', 'loss', 'bandwidth', 'dns', 'timeout', 'cpu'],
    probes: ['http', 'tcp', 'exec', 'docker-health'],
    selector: ['names', 'name', 'labels', 'compose', 'network'],
  },
  kubernetes: {
    faults: ['pod-delete', 'pod-kill', 'container-kill', 'scale', 'partition', 'latency', 'loss', 'bandwidth'],
    probes: ['http', 'tcp', 'exec', 'k8s-ready'],
    selector: ['names', 'labels', 'namespaces', 'allNamespaces', 'expressions', 'fields', 'owner', 'node'],
  },
};
