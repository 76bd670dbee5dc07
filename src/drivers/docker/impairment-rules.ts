// The iptables rules behind loss, timeout, dns and partition. Pure: a fault's parameters in, chain
// contents out, so the rules can be read and tested without a namespace.
import type { Impairment } from '../driver.js';
import type { ChainSpec, Hook } from './rules.js';

type FilterImpairment = Extract<Impairment, { kind: 'loss' | 'timeout' | 'dns' }>;

/** Loopback is never touched: a container talking to itself is not crossing the network. */
const SKIP_LOOPBACK = ['-o lo -j RETURN', '-i lo -j RETURN'];

export function filterChain(imp: FilterImpairment, chain: string, comment: string): ChainSpec {
  const base = { table: 'filter' as const, chain, comment };
  switch (imp.kind) {
    case 'loss': {
      // netem-style: each packet the target sends is lost with this probability.
      const p = (imp.percent / 100).toFixed(6);
      const verdict = imp.mode === 'reset' ? ['-p tcp -m statistic --mode random --probability P -j REJECT --reject-with tcp-reset'] : [];
      return {
        ...base,
        hooks: ['OUTPUT'],
        rules: [SKIP_LOOPBACK[0]!, ...verdict.map((v) => v.replace('P', p)), `-m statistic --mode random --probability ${p} -j DROP`],
      };
    }
    case 'timeout':
      return { ...base, hooks: ['INPUT', 'OUTPUT'], rules: [...SKIP_LOOPBACK, '-j DROP'] };
    case 'dns':
      // Docker's embedded resolver DNATs 127.0.0.11:53 to a random port before the filter table
      // sees the packet, so match on the port the connection was originally made to.
      return {
        ...base,
        hooks: ['OUTPUT'],
        rules: ['-p udp -m conntrack --ctorigdstport 53 -j DROP', '-p tcp -m conntrack --ctorigdstport 53 -j DROP'],
      };
  }
}

/**
 * Partition: "to" drops what the target sends to the peers, "from" what it receives from them.
 * One chain serves both hooks: in OUTPUT only -d can match a peer, in INPUT only -s.
 */
export function partitionChain(peerIps: readonly string[], direction: 'to' | 'from' | 'both', chain: string, comment: string): ChainSpec {
  const rules: string[] = [];
  const hooks: Hook[] = [];
  if (direction !== 'from') {
    hooks.push('OUTPUT');
    for (const ip of peerIps) rules.push(`-d ${ip}/32 -j DROP`);
  }
  if (direction !== 'to') {
    hooks.push('INPUT');
    for (const ip of peerIps) rules.push(`-s ${ip}/32 -j DROP`);
  }
  return { table: 'filter', chain, comment, hooks, rules };
}

/** NAT rules sending the target's new TCP connections to each peer port through a delaying proxy. */
export function redirectChain(routes: readonly { peerIp: string; port: number; proxyIp: string; proxyPort: number }[], chain: string, comment: string): ChainSpec {
  return {
    table: 'nat',
    chain,
    comment,
    hooks: ['OUTPUT'],
    rules: routes.map((r) => `-p tcp -d ${r.peerIp}/32 --dport ${r.port} -j DNAT --to-destination ${r.proxyIp}:${r.proxyPort}`),
  };
}
