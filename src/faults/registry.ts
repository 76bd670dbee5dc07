// Every fault kind faultline knows, by name. Drivers declare which of them they support
// (src/domain/capabilities.ts); the spec checks reject the rest before anything runs.
import type { FaultKind } from '../domain/experiment.js';
import type { Fault } from './fault.js';
import { cpu } from './cpu.js';
import { kill } from './kill.js';
import { podDelete } from './pod-delete.js';
import { podKill } from './pod-kill.js';
import { containerKill } from './container-kill.js';
import { scale } from './scale.js';
import { bandwidth, dns, latency, loss, timeout } from './network-faults.js';
import { partition } from './partition.js';
import { pause } from './pause.js';
import { restart } from './restart.js';
import { stop } from './stop.js';
import { switchOutage } from './switch-outage.js';

const FAULTS: Partial<{ [K in FaultKind]: Fault<K> }> = {
  kill,
  pause,
  restart,
  stop,
  latency,
  bandwidth,
  loss,
  timeout,
  dns,
  partition,
  'switch-outage': switchOutage,
  cpu,
  'pod-delete': podDelete,
  'pod-kill': podKill,
  'container-kill': containerKill,
  scale,
};

export function faultOf<K extends FaultKind>(kind: K): Fault<K> {
  const f = FAULTS[kind] as Fault<K> | undefined;
  if (!f) throw new Error(`fault kind "${kind}" has no implementation yet`);
  return f;
}
