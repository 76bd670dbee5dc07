// The impairment a network fault hands a driver's network mechanism, from the fault's parameters.
// Shared by every driver's network handlers: they differ in mechanism, not in what is asked.
import type { FaultKind } from '../domain/fault-kinds/catalog.js';
import type { FaultArgs } from './fault-handler.js';
import type { Impairment } from './driver.js';

export type NetworkKind = Extract<FaultKind, Impairment['kind']>;

export function impairmentOf<K extends NetworkKind>(kind: K, { params, groups }: FaultArgs<K>): Impairment {
  const p = params as FaultArgs<NetworkKind>['params'];
  switch (kind) {
    case 'latency': {
      const l = p as FaultArgs<'latency'>['params'];
      return { kind: 'latency', delayMs: l.delay, jitterMs: l.jitter, direction: l.direction, ...(l.peers ? { peers: l.peers.flatMap((g) => groups.get(g) ?? []) } : {}) };
    }
    case 'bandwidth': {
      const b = p as FaultArgs<'bandwidth'>['params'];
      return { kind: 'bandwidth', bytesPerSecond: b.rate, direction: b.direction };
    }
    case 'loss': {
      const l = p as FaultArgs<'loss'>['params'];
      return { kind: 'loss', percent: l.percent, mode: l.mode };
    }
    default:
      return { kind } as Impairment;
  }
}
