// Partition (a NetworkPolicy), latency, loss and bandwidth (an ephemeral helper running tc and
// iptables in the pod's network namespace). One family: one undo record with a `type`.
import { z } from 'zod';
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import type { JsonValue } from '../../../domain/model.js';
import { impairmentOf } from '../../impairment.js';
import { CLUSTER_OBJECT_EXPIRY_MARGIN_MS, POD_IMPAIRMENT, POD_POLICY, type KubernetesFaultHandler } from './handler.js';

const Undo = z.union([
  z.looseObject({ type: z.literal('partition'), namespace: z.string(), policies: z.array(z.string()), labelKey: z.string(), labelled: z.array(z.object({ namespace: z.string(), pod: z.string() })) }),
  z.looseObject({ type: z.literal('impair'), namespace: z.string(), pod: z.string(), uid: z.string(), container: z.string(), deadline: z.number() }),
]);
type Undo = z.output<typeof Undo>;

const revertNetwork: KubernetesFaultHandler<FaultKind, Undo>['revert'] = (t, undo, ctx, d) => d.network.revert(t, undo as unknown as JsonValue, ctx);

function impairment<K extends 'latency' | 'loss' | 'bandwidth'>(kind: K): KubernetesFaultHandler<K, Undo> {
  return {
    touches: [POD_IMPAIRMENT],
    undo: Undo,
    example: (t) => ({ type: 'impair', namespace: 'default', pod: t.name, uid: 'uid-1', container: 'faultline-impair-1', deadline: 0 }),
    describe: (t, args, d) => `${d.network.describe(t, impairmentOf(kind, args))}; revert: remove it`,
    inject: async (t, args, ctx, d) => Undo.parse(await d.network.impair(t, impairmentOf(kind, args), ctx)),
    revert: revertNetwork,
    expiry: () => `the helper container lifts it by itself at its deadline (the end of the experiment's timeline plus ${CLUSTER_OBJECT_EXPIRY_MARGIN_MS / 60_000}m), even if faultline dies`,
  };
}

export const latency = impairment('latency');
export const loss = impairment('loss');
export const bandwidth = impairment('bandwidth');

export const partition: KubernetesFaultHandler<'partition', Undo> = {
  touches: [POD_POLICY],
  undo: Undo,
  example: () => ({ type: 'partition', namespace: 'default', policies: ['faultline-partition-1'], labelKey: 'faultline.io/partition-1', labelled: [{ namespace: 'default', pod: 'web-0' }] }),
  inject: async (t, { params, groups }, ctx, d) => Undo.parse(await d.network.partition(t, [...(groups.get(params.to) ?? [])], params.direction, ctx)),
  revert: revertNetwork,
  // Kubernetes itself never deletes an object at a deadline, so expiry is faultline's own sweep.
  expiry: () =>
    `the NetworkPolicy carries faultline.io/expires-at (the end of the experiment's timeline plus ${CLUSTER_OBJECT_EXPIRY_MARGIN_MS / 60_000}m); after that \`faultline reap\` (the reap CronJob, or the next faultline run in its namespace) deletes it and its pod labels, and \`faultline rollback\` removes it at any time`,
};
