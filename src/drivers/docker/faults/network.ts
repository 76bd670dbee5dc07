// Partition, latency, loss, bandwidth, dns and timeout: iptables chains and qdiscs in the target's
// network namespace (or the delaying proxy for latency without netem). One family: they share
// their undo record and their namespace holder, and differ in what they ask the mechanism.
import { z } from 'zod';
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import type { JsonValue } from '../../../domain/model.js';
import { impairmentOf, type NetworkKind } from '../../impairment.js';
import { ROOT_QDISC, chainOf, netnsExpiry, type DockerFaultHandler } from './handler.js';

const Undo = z.looseObject({
  mechanism: z.string(),
  namespaces: z.array(z.looseObject({ container: z.string(), chains: z.array(z.unknown()), devs: z.array(z.string()), hostDevs: z.array(z.string()) })),
  proxy: z.string().optional(),
  holders: z.array(z.string()).optional(),
});
type Undo = z.output<typeof Undo>;

const revertNetwork: DockerFaultHandler<FaultKind, Undo>['revert'] = (t, undo, ctx, d) => d.network.revert(t, undo as unknown as JsonValue, ctx);

const family = {
  undo: Undo,
  example: (t: { id: string; name: string }): Undo => ({
    mechanism: 'iptables',
    namespaces: [{ container: t.id, name: t.name, pid: 4242, startedAt: '2026-01-01T00:00:00Z', netns: null, chains: [], devs: [], hostDevs: [] }],
  }),
  holder: { image: 'netns' as const },
  revert: revertNetwork,
};

function impairment<K extends NetworkKind>(kind: K, what: string, more = ''): DockerFaultHandler<K, Undo> {
  return {
    ...family,
    touches: kind === 'latency' || kind === 'bandwidth' ? [ROOT_QDISC] : [chainOf(kind)],
    describe: (t, args, d) => `${d.network.describe(t, impairmentOf(kind, args))}; revert: remove it`,
    inject: async (t, args, ctx, d, hold) => (await d.network.impair(t, impairmentOf(kind, args), ctx, hold)) as unknown as Undo,
    expiry: (ttl, d) => `${netnsExpiry(d, ttl, what)}${more}`,
  };
}

const CHAIN = "the run's iptables chain and its jumps";

export const latency = impairment(
  'latency',
  "the netem qdisc, or the delaying proxy's NAT redirect",
  ". With the delaying proxy, the proxy lives in faultline's process: if faultline dies, new connections redirected to it fail (refused) until the holder or a rollback removes the redirect",
);
export const loss = impairment('loss', CHAIN);
export const timeout = impairment('timeout', CHAIN);
export const dns = impairment('dns', CHAIN);
export const bandwidth = impairment('bandwidth', 'the tbf qdisc (a second holder on the host removes one on the host side of its veth)');

export const partition: DockerFaultHandler<'partition', Undo> = {
  ...family,
  touches: [chainOf('partition')],
  inject: async (t, { params, groups }, ctx, d, hold) => (await d.network.partition(t, [...(groups.get(params.to) ?? [])], params.direction, ctx, hold)) as unknown as Undo,
  expiry: (ttl, d) => netnsExpiry(d, ttl, CHAIN),
};
