// Which fault kinds each driver supports, and how, known without constructing a driver and
// without loading dockerode or @kubernetes/client-node: the registries hold handler declarations
// only (they import the drivers' types, not the drivers). `validate`, `plan` and the watchdog read
// them here.
import type { FaultKind } from '../domain/fault-kinds/catalog.js';
import type { DriverName } from '../domain/model.js';
import { DOCKER_FAULTS } from './docker/faults/index.js';
import { KUBERNETES_FAULTS } from './kubernetes/faults/index.js';
import { PROCESS_FAULTS } from './process/faults/index.js';

export const FAULT_SUPPORT = { process: PROCESS_FAULTS, docker: DOCKER_FAULTS, kubernetes: KUBERNETES_FAULTS } as const;

/** The kinds a driver claims, in its registry's order. */
export function supportedFaults(driver: DriverName): FaultKind[] {
  return Object.keys(FAULT_SUPPORT[driver]) as FaultKind[];
}
