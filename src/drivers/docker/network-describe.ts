// What a Docker network impairment will do and by which mechanism, for `plan` and the journal.
import type { Target } from '../../domain/model.js';
import type { Impairment } from '../driver.js';
import type { NetemSupport } from './netem.js';

export function describeImpairment(target: Target, imp: Impairment, accessMode: string, netem: NetemSupport): string {
  const via = ` (namespace entered with ${accessMode})`;
  const chain = 'a faultline chain FL-<run>';
  switch (imp.kind) {
    case 'loss':
      return `drop ${imp.percent}% of the packets ${target.name} sends (iptables statistic, ${chain})${via}`;
    case 'timeout':
      return `drop all of ${target.name}'s traffic except loopback (iptables, ${chain})${via}`;
    case 'dns':
      return `drop ${target.name}'s DNS queries, including to Docker's embedded resolver (iptables, ${chain})${via}`;
    case 'bandwidth': {
      const where = imp.direction === 'from' ? 'its interfaces' : imp.direction === 'to' ? 'the host side of its veth' : 'its interfaces and the host side of its veth';
      return `limit ${target.name} to ${Math.round(imp.bytesPerSecond)} bytes/s with a tbf qdisc on ${where}${via}`;
    }
    case 'latency': {
      const amount = `+${imp.delayMs}ms${imp.jitterMs ? ` ±${imp.jitterMs}ms` : ''}`;
      const peers = imp.peers?.length ? `to ${imp.peers.map((p) => p.name).join(', ')}` : 'to every container sharing a network with it';
      const n = netem.known();
      if (n === true) return `latency ${amount} on ${target.name}'s traffic ${peers} via tc netem${via}`;
      const why = n === false ? 'kernel has no netem qdisc' : 'netem support not probed yet; used if the kernel lacks netem';
      return `latency ${amount} via delaying proxy (${why}): ${target.name}'s new TCP connections ${peers} are DNATed in its namespace to faultline's proxy, which forwards them late${via}`;
    }
  }
}
