// Latency, bandwidth, loss, timeout and partition on the process driver: impairments of the links
// (paths through faultline's in-process fault proxy). They share their undo record (the proxy's
// impairment ids) and their end: the proxy dies with faultline, and the faults with it.
import { z } from 'zod';
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import { impairmentOf, type NetworkKind } from '../../impairment.js';
import type { ProcessFaultHandler } from './handler.js';

const Undo = z.object({ proxy: z.array(z.string()) });
type Undo = z.output<typeof Undo>;

const revertLinks: ProcessFaultHandler<FaultKind, Undo>['revert'] = (t, undo, _ctx, d) => d.network.revert(t, undo);

const family = {
  // Each fault is its own impairment on the proxy's links, removed by its id alone; several on one
  // link stack (delays add, the lowest rate wins, any partition or timeout stalls).
  touches: [],
  undo: Undo,
  example: (): Undo => ({ proxy: ['imp-1'] }),
  revert: revertLinks,
  endsWithFaultline: true as const,
  throughLinks: true as const,
  expiry: () => "lives in faultline's own fault proxy: it ends the instant faultline does",
};

function impairment<K extends Exclude<NetworkKind, 'dns'>>(kind: K): ProcessFaultHandler<K, Undo> {
  return {
    ...family,
    describe: (t, args, d) => `${d.network.describe(t, impairmentOf(kind, args))}; revert: remove it`,
    inject: async (t, args, _ctx, d) => Undo.parse(await d.network.impair(t, impairmentOf(kind, args))),
  };
}

export const latency = impairment('latency');
export const bandwidth = impairment('bandwidth');
export const loss = impairment('loss');
export const timeout = impairment('timeout');

export const partition: ProcessFaultHandler<'partition', Undo> = {
  ...family,
  inject: async (t, { params, groups }, _ctx, d) => Undo.parse(await d.network.partition(t, [...(groups.get(params.to) ?? [])], params.direction)),
};
