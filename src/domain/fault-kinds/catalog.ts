// Every fault kind faultline knows, in the order the file format and its JSON Schema list them.
// Everything else about kinds (FaultKind, the Fault schema, which are instant) is derived from
// here; each driver registers how it injects and reverts the kinds it supports.
import type { z } from 'zod';
import { command } from './command.js';
import { containerKill } from './container-kill.js';
import { cpu } from './cpu.js';
import { kill } from './kill.js';
import { bandwidth, dns, latency, loss, timeout } from './network.js';
import { partition } from './partition.js';
import { pause } from './pause.js';
import { podDelete } from './pod-delete.js';
import { podFailure } from './pod-failure.js';
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
  'pod-failure': podFailure,
  'container-kill': containerKill,
  scale,
  command,
};

export type FaultKind = keyof typeof FAULT_CATALOG;
export const FAULT_KINDS = Object.keys(FAULT_CATALOG) as FaultKind[];

type ParamsOf<K extends FaultKind> = (typeof FAULT_CATALOG)[K]['params'];
export type FaultParams<K extends FaultKind> = z.output<ParamsOf<K>>;

/** Each kind's parameter schema, by kind: the file format's `faults[]` entries. */
export const FAULT_PARAMS = Object.fromEntries(FAULT_KINDS.map((k) => [k, FAULT_CATALOG[k].params])) as { [K in FaultKind]: ParamsOf<K> };

/** Kinds that are always an instant action; a kind whose parameters decide (command) is not listed: ask `isInstant`. */
export const INSTANT_FAULTS: readonly FaultKind[] = FAULT_KINDS.filter((k) => FAULT_CATALOG[k].instant === true);

/** Whether one fault is instant (nothing to hold or revert) or held for `for` and then reverted. */
export function isInstant(kind: FaultKind, params: unknown): boolean {
  const instant = (FAULT_CATALOG[kind] as FaultKindDef).instant;
  return typeof instant === 'function' ? instant(params) : instant;
}

/** A kind's declaration with its parameters typed. */
export function faultKindDef<K extends FaultKind>(kind: K): FaultKindDef<ParamsOf<K>> {
  return FAULT_CATALOG[kind] as unknown as FaultKindDef<ParamsOf<K>>;
}
