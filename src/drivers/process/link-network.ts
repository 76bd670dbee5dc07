// Network faults on the process driver act on links (paths through the fault proxy), not on
// interfaces: an impairment on a target applies to every link whose `to` is that target, and a
// partition cuts the links between the two groups in the directions asked.
import type { LinkSpec } from '../../domain/experiment.js';
import type { JsonValue, Target } from '../../domain/model.js';
import type { Impairment, NetworkActions, RevertResult } from '../driver.js';
import type { Direction, LinkImpairment } from '../../proxy/types.js';

/** The part of the fault proxy these actions use. */
export interface LinkProxy {
  impair(link: string, impairment: LinkImpairment): string;
  remove(id: string): boolean;
}

/** On a link, "up" is client -> server (`from` -> `to`); traffic "from" the target is its replies. */
const TOWARD_TARGET: Record<'to' | 'from' | 'both', Direction> = { to: 'up', from: 'down', both: 'both' };

export class LinkNetwork implements NetworkActions {
  constructor(private readonly links: Record<string, LinkSpec>, private readonly proxy: LinkProxy) {}

  private linksTo(target: Target): string[] {
    return Object.keys(this.links).filter((name) => this.links[name]!.to === target.name);
  }

  private toLinkImpairment(imp: Impairment): LinkImpairment {
    switch (imp.kind) {
      case 'latency':
        return { kind: 'latency', delayMs: imp.delayMs, jitterMs: imp.jitterMs, direction: TOWARD_TARGET[imp.direction] };
      case 'bandwidth':
        return { kind: 'bandwidth', bytesPerSecond: imp.bytesPerSecond, direction: TOWARD_TARGET[imp.direction] };
      case 'loss':
        return { kind: 'loss', percent: imp.percent, mode: imp.mode };
      case 'timeout':
        return { kind: 'timeout' };
      case 'dns':
        throw new Error('the process driver has no DNS to break');
    }
  }

  describe(target: Target, imp: Impairment): string {
    const links = this.linksTo(target);
    const what = imp.kind === 'latency' ? `latency ${imp.delayMs}ms ±${imp.jitterMs}ms` : imp.kind;
    return `${what} on ${target.name} through the fault proxy on link${links.length === 1 ? '' : 's'} ${links.join(', ') || '(none)'}`;
  }

  async impair(target: Target, imp: Impairment): Promise<JsonValue> {
    const links = this.linksTo(target);
    if (links.length === 0) throw new Error(`no link leads to "${target.name}": declare one in spec.links so its traffic goes through the fault proxy`);
    const li = this.toLinkImpairment(imp);
    return { proxy: links.map((l) => this.proxy.impair(l, li)) };
  }

  async partition(target: Target, peers: Target[], direction: 'to' | 'from' | 'both'): Promise<JsonValue> {
    const peerNames = new Set(peers.map((p) => p.name));
    const ids: string[] = [];
    for (const [name, link] of Object.entries(this.links)) {
      if (link.from === undefined) continue;
      // Traffic from target to peers is "up" on target->peer links and "down" on peer->target links.
      const outward = link.from === target.name && peerNames.has(link.to);
      const inward = link.to === target.name && peerNames.has(link.from);
      if (!outward && !inward) continue;
      const dir: Direction = direction === 'both' ? 'both' : (direction === 'to') === outward ? 'up' : 'down';
      ids.push(this.proxy.impair(name, { kind: 'partition', direction: dir }));
    }
    if (ids.length === 0) {
      throw new Error(`no link connects "${target.name}" and ${[...peerNames].map((n) => `"${n}"`).join(', ')}: a partition on the process driver cuts links, so declare them in spec.links`);
    }
    return { proxy: ids };
  }

  async revert(_target: Target, undo: JsonValue): Promise<RevertResult> {
    const ids = (undo as { proxy?: string[] } | null)?.proxy ?? [];
    // remove() is false for an id the proxy does not hold: already removed, or the proxy ended
    // with the run that owned it (then so did every impairment on it).
    const held = ids.filter((id) => this.proxy.remove(id));
    return held.length === ids.length ? {} : { vanished: true, note: 'the fault proxy no longer held it' };
  }
}
