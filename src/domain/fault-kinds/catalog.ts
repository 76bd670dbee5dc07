// Every fault kind faultline knows, in the order the file format and its JSON Schema list them.
// Everything else about kinds (FaultKind, the Fault schema, which are instant) is derived from
// here; each driver registers how it injects and reverts the kinds it supports.
import type { z } from 'zod';
import { containerKill } from './container-kill.js';
import { cpu } from './cpu.js';
import { kill } from './kill.js';
import { bandwidth, dns, latency, loss, timeout } from './network.js';
import { partition } from './partition.js';
import { pause } from './pause.js';
import { podDelete } from './pod-delete.js';
import { podKill } from './pod-kill.js';
import { restart } from './restart.js';
import { scale } from './scale.js';
import { stop } from './stop.js';
import { switchOutage } from './switch-outage.js';
import type { FaultKindDef } from './define.js';

export const FAULT_CATALOG = {
  kill,
  pause,
  restart,
  stop,
  latency,
  bandwidth,
  loss,
  timeout,
  partition,
  'switch-outage': switchOutage,
  dns,
  cpu,
  'pod-delete': podDelete,
  'pod-kill': podKill,
  'container-kill': containerKill,
  scale,
};

export type FaultKind = keyof typeof FAULT_CATALOG;
export const FAULT_KINDS = Object.keys(FAULT_CATALOG) as FaultKind[];

type ParamsOf<K extends FaultKind> = (typeof FAULT_CATALOG)[K]['params'];
export type FaultParams<K extends FaultKind> = z.output<ParamsOf<K>>;

/** Each kind's parameter schema, by kind: the file format's `faults[]` entries. */
export const FAULT_PARAMS = Object.fromEntries(FAULT_KINDS.map((k) => [k, FAULT_CATALOG[k].params])) as { [K in FaultKind]: ParamsOf<K> };

/** Faults that are an instant action; every other kind is held for `for` and then reverted. */
export const INSTANT_FAULTS: readonly FaultKind[] = FAULT_KINDS.filter((k) => FAULT_CATALOG[k].instant);

/** A kind's declaration with its parameters typed. */
export function faultKindDef<K extends FaultKind>(kind: K): FaultKindDef<ParamsOf<K>> {
  return FAULT_CATALOG[kind] as unknown as FaultKindDef<ParamsOf<K>>;
}
