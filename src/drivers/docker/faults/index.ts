// Every fault kind the Docker driver supports, and how. What `validate` and `plan` say the driver
// supports, which holder images a run needs and what a sweep replays are derived from this list.
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import { cpu } from './cpu.js';
import type { DockerFaultHandler } from './handler.js';
import { kill } from './kill.js';
import { bandwidth, dns, latency, loss, partition, timeout } from './network.js';
import { pause } from './pause.js';
import { restart } from './restart.js';
import { stop } from './stop.js';
import { switchOutage } from './switch-outage.js';

/** Each handler has its own undo type; the registry erases it. */
export type DockerFaults = { readonly [K in FaultKind]?: DockerFaultHandler<K, any> };

export const DOCKER_FAULTS: DockerFaults = {
  kill,
  stop,
  restart,
  pause,
  partition,
  'switch-outage': switchOutage,
  latency,
  loss,
  bandwidth,
  dns,
  timeout,
  cpu,
};
