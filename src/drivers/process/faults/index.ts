// Every fault kind the process driver supports, and how. What `validate` and `plan` say it
// supports, which faults act through links, and what the watchdog does are derived from this list.
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import { command } from './command.js';
import type { ProcessFaultHandler } from './handler.js';
import { kill } from './kill.js';
import { bandwidth, latency, loss, partition, timeout } from './links.js';
import { pause } from './pause.js';
import { restart } from './restart.js';

/** Each handler has its own undo type; the registry erases it. */
export type ProcessFaults = { readonly [K in FaultKind]?: ProcessFaultHandler<K, any> };

export const PROCESS_FAULTS: ProcessFaults = {
  kill,
  pause,
  restart,
  latency,
  bandwidth,
  loss,
  timeout,
  partition,
  command,
};
