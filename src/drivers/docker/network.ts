// The Docker driver's network actions: iptables chains and tc qdiscs inside a container's network
// namespace, the delaying proxy where the kernel has no netem, and switch outages. Every undo
// record names the namespace it touched and when its container started, so a revert can tell
// "rules removed" from "container restarted and took its rules with it".
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import { EnvironmentError, InvalidInputError } from '../../domain/errors.js';
import type { JsonValue, Target } from '../../domain/model.js';
import type { FaultProxy } from '../../proxy/index.js';
import type { Hold, Impairment, NetworkActions, RevertResult } from '../driver.js';
import { isNotFound } from './errors.js';
import { runHost } from './host-command.js';
import { filterChain, partitionChain } from './impairment-rules.js';
import { sharedEndpoints, startDelayingProxy } from './latency-proxy.js';
import type { NetemSupport } from './netem.js';
import { Netfilter } from './netfilter.js';
import type { NetnsAccess, NsRef } from './netns.js';
import { alreadyGone, delArgs, netemArgs, netemToPeersArgs, parseLinks, tbfArgs } from './qdisc.js';
import { chainName, jumpComment, type ChainRef, type ChainSpec } from './rules.js';
import { disconnectAll, isSwitchUndo, reconnectAll, attachments, type SwitchUndo } from './switch.js';
import { recordedAddresses } from './facts.js';
import { HELPER_LABEL } from './labels.js';
import { removeHolder, type EngineHold, type Holders } from './holder.js';

interface NsUndo {
  container: string;
  name: string;
  pid: number;
  startedAt: string;
  netns: string | null;
  chains: ChainRef[];
  /** Interfaces in the namespace carrying a faultline qdisc. */
  devs: string[];
  /** Host-side veth peers carrying one (traffic towards the container). */
  hostDevs: string[];
}

interface NetUndo {
  mechanism: string;
  namespaces: NsUndo[];
  proxy?: string;
  /** Holder containers that remove the fault at expiry if faultline cannot. */
  holders?: string[];
}

export interface DockerNetworkDeps {
  docker: Dockerode;
  access: () => Promise<NetnsAccess>;
  /** The mode `access` will resolve to, when already known; used by describe(). */
  accessMode: () => string;
  netem: NetemSupport;
  selfId: string | undefined;
  /** Starts and removes holder containers; absent, faults expire only through rollback. */
  holders?: Holders;
}

export class DockerNetwork implements NetworkActions {
  private readonly proxies = new Map<string, FaultProxy>();
  private netfilter: Netfilter | undefined;

  constructor(private readonly deps: DockerNetworkDeps) {}

  // ------------------------------------------------------------------ describe

  describe(target: Target, imp: Impairment): string {
    const via = ` (namespace entered with ${this.deps.accessMode()})`;
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
        const n = this.deps.netem.known();
        if (n === true) return `latency ${amount} on ${target.name}'s traffic ${peers} via tc netem${via}`;
        const why = n === false ? 'kernel has no netem qdisc' : 'netem support not probed yet; used if the kernel lacks netem';
        return `latency ${amount} via delaying proxy (${why}): ${target.name}'s new TCP connections ${peers} are DNATed in its namespace to faultline's proxy, which forwards them late${via}`;
      }
    }
  }

  // ------------------------------------------------------------------ inject

  private nf(access: NetnsAccess): Netfilter {
    this.netfilter ??= new Netfilter(access);
    return this.netfilter;
  }

  private async running(target: Target): Promise<Dockerode.ContainerInspectInfo> {
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await this.deps.docker.getContainer(target.id).inspect();
    } catch (err) {
      if (isNotFound(err)) throw new Error(`${target.name} no longer exists (it disappeared after selection)`);
      throw err;
    }
    if (!info.State.Running || info.State.Pid <= 0) throw new Error(`${target.name} is not running (${info.State.Status}), so it has no network namespace to change`);
    return info;
  }

  private async nsUndo(info: Dockerode.ContainerInspectInfo, access: NetnsAccess): Promise<{ ref: NsRef; undo: NsUndo }> {
    const ref: NsRef = { id: info.Id, name: info.Name.replace(/^\//, ''), pid: info.State.Pid };
    const netns = (await access.identity(ref)) ?? null;
    return { ref, undo: { container: info.Id, name: ref.name, pid: ref.pid, startedAt: info.State.StartedAt, netns, chains: [], devs: [], hostDevs: [] } };
  }

  private chainFor(ctx: RunContext, target: Target, what: unknown): { chain: string; comment: string } {
    return { chain: chainName(ctx.runId, `${target.id}:${JSON.stringify(what)}`), comment: jumpComment(ctx.runId) };
  }

  /** `hold`, when given, starts holders that remove the impairment at its expiry. */
  async impair(target: Target, imp: Impairment, ctx: RunContext, hold?: Hold): Promise<JsonValue> {
    const info = await this.running(target);
    const access = await this.deps.access();
    const { ref, undo } = await this.nsUndo(info, access);
    const { peers, ...what } = imp as Impairment & { peers?: Target[] };
    const { chain, comment } = this.chainFor(ctx, target, { ...what, peers: peers?.map((p) => p.id) });
    switch (imp.kind) {
      case 'loss':
      case 'timeout':
      case 'dns': {
        const spec = filterChain(imp, chain, comment);
        undo.chains.push(refOf(spec));
        const out = record(imp.kind, [undo]);
        await this.held(target, out, ctx, hold, () => this.nf(access).apply(ref, [spec]));
        return out;
      }
      case 'bandwidth': {
        const out = record('tbf', [undo]);
        await this.shape(ref, undo, access, imp.direction, (dev) => [tbfArgs(dev, imp.bytesPerSecond)], (apply) => this.held(target, out, ctx, hold, apply));
        return out;
      }
      case 'latency': {
        if (await this.deps.netem.available(ctx)) {
          const ips = peers?.length ? await this.peerIps(info, peers) : [];
          if (peers?.length && !ips.length) throw noCommonNetwork(target, peers);
          const out = record('netem', [undo]);
          await this.shape(
            ref,
            undo,
            access,
            imp.direction,
            (dev) => (ips.length ? netemToPeersArgs(dev, imp.delayMs, imp.jitterMs, ips) : netemArgs(dev, imp.delayMs, imp.jitterMs)),
            (apply) => this.held(target, out, ctx, hold, apply),
          );
          return out;
        }
        return this.proxyLatency(target, info, imp, peers, access, ref, undo, chain, comment, ctx, hold);
      }
    }
  }

  private async proxyLatency(
    target: Target,
    info: Dockerode.ContainerInspectInfo,
    imp: Extract<Impairment, { kind: 'latency' }>,
    peers: Target[] | undefined,
    access: NetnsAccess,
    ref: NsRef,
    undo: NsUndo,
    chain: string,
    comment: string,
    ctx: RunContext,
    hold: Hold | undefined,
  ): Promise<JsonValue> {
    const peerInfos = peers?.length ? await this.inspectAll(peers) : await this.neighbours(info);
    const endpoints = sharedEndpoints(info, peerInfos);
    if (peers?.length && !endpoints.length) throw noCommonNetwork(target, peers);
    const { proxy, spec } = await startDelayingProxy(imp, target.name, endpoints, access, ctx.rng, chain, comment);
    undo.chains.push(refOf(spec));
    const key = `${ctx.runId}/${target.id}/${chain}`;
    const out: NetUndo = { mechanism: 'delaying-proxy', namespaces: [undo], proxy: key };
    try {
      // The holder removes the redirect at expiry: with faultline dead, its proxy is gone too.
      await this.held(target, out as unknown as JsonValue, ctx, hold, () => this.nf(access).apply(ref, [spec]));
    } catch (err) {
      await proxy.close().catch((e: unknown) => ctx.log.warn(`closing the delaying proxy after a failed inject: ${String(e)}`));
      throw err;
    }
    await this.proxies.get(key)?.close();
    this.proxies.set(key, proxy);
    return out as unknown as JsonValue;
  }

  /**
   * Starts the holders of a network fault (one in each namespace it touches, one on the host for
   * host-side qdiscs), then applies it; a failed apply takes them down again. Their ids go into
   * the undo record, so a revert removes exactly them before undoing the fault.
   */
  private async held(target: Target, out: JsonValue, ctx: RunContext, hold: Hold | undefined, apply: () => Promise<void>): Promise<void> {
    const holders = this.deps.holders;
    const u = out as unknown as NetUndo;
    if (holders && hold) {
      const kind = hold.kind;
      const common = { kind, targetId: target.id, targetName: target.name, undo: JSON.parse(JSON.stringify(out)) as JsonValue };
      const ids: string[] = [];
      try {
        for (const ns of u.namespaces) {
          if (ns.chains.length || ns.devs.length) ids.push((await holders.netns(common, { container: ns.container }, ns.chains, ns.devs, ctx, hold))!);
          if (ns.hostDevs.length) ids.push((await holders.netns(common, 'host', [], ns.hostDevs, ctx, hold))!);
        }
      } catch (err) {
        await Promise.all(ids.map((id) => removeHolder(this.deps.docker, id).catch(() => undefined)));
        throw err;
      }
      u.holders = ids;
    }
    try {
      await apply();
    } catch (err) {
      await Promise.all((u.holders ?? []).map((id) => removeHolder(this.deps.docker, id).catch((e: unknown) => ctx.log.warn(`removing a holder after a failed inject: ${String(e)}`))));
      delete u.holders;
      throw err;
    }
  }

  /** Adds a root qdisc on the container's interfaces ("from") and/or the host side of its veths ("to"). */
  /**
   * Adds a root qdisc on the container's interfaces ("from") and/or the host side of its veths
   * ("to"). The devices are found first and recorded in the undo, so `around` (the holders) knows
   * them before anything is changed.
   */
  private async shape(
    ref: NsRef,
    undo: NsUndo,
    access: NetnsAccess,
    direction: 'to' | 'from' | 'both',
    argsFor: (dev: string) => string[][],
    around: (apply: () => Promise<void>) => Promise<void> = (apply) => apply(),
  ): Promise<void> {
    const links = parseLinks((await this.must(access, ref, ['ip', '-o', 'link', 'show'])).stdout).filter((l) => l.name !== 'lo');
    if (direction !== 'to') undo.devs.push(...links.map((l) => l.name));
    if (direction !== 'from') {
      if (access.mode !== 'nsenter') throw new EnvironmentError(`shaping traffic towards ${ref.name} needs its host-side veth, which only nsenter mode (root on the Docker host) can reach; use direction "from"`);
      const host = parseLinks((await runHost(['ip', '-o', 'link', 'show'])).stdout);
      for (const l of links) {
        const peer = host.find((h) => h.index === l.peerIndex);
        if (peer) undo.hostDevs.push(peer.name);
      }
    }
    const apply = async () => {
      try {
        for (const dev of undo.devs) for (const args of argsFor(dev)) await this.must(access, ref, args);
        for (const dev of undo.hostDevs) {
          for (const args of argsFor(dev)) {
            const r = await runHost(args);
            if (r.code !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr.trim()}`);
          }
        }
      } catch (err) {
        await this.unshape(ref, undo, access).catch(() => undefined);
        throw err;
      }
    };
    await around(apply);
  }

  private async unshape(ref: NsRef, undo: NsUndo, access: NetnsAccess): Promise<void> {
    for (const dev of undo.devs) {
      const r = await access.run(ref, delArgs(dev));
      if (!alreadyGone(r)) throw new Error(`removing the qdisc on ${dev} in ${ref.name} failed: ${r.stderr.trim()}`);
    }
    for (const dev of undo.hostDevs) {
      const r = await runHost(delArgs(dev));
      if (!alreadyGone(r)) throw new Error(`removing the qdisc on host device ${dev} failed: ${r.stderr.trim()}`);
    }
  }

  private async must(access: NetnsAccess, ref: NsRef, argv: string[]) {
    const r = await access.run(ref, argv);
    if (r.code !== 0) throw new Error(`${argv.join(' ')} in ${ref.name}'s network namespace failed (exit ${r.code}): ${r.stderr.trim()}`);
    return r;
  }

  private async inspectAll(targets: readonly Target[]): Promise<Dockerode.ContainerInspectInfo[]> {
    const infos = await Promise.all(targets.map((p) => this.deps.docker.getContainer(p.id).inspect().catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)))));
    return infos.filter((i): i is Dockerode.ContainerInspectInfo => i !== undefined && i.State.Running);
  }

  /** Every other running container on the target's networks. */
  private async neighbours(info: Dockerode.ContainerInspectInfo): Promise<Dockerode.ContainerInspectInfo[]> {
    const ids = new Set<string>();
    for (const net of Object.keys(info.NetworkSettings.Networks)) {
      if (net === 'host' || net === 'none') continue;
      const list = await this.deps.docker.listContainers({ filters: { network: [net] } });
      for (const c of list) if (c.Id !== info.Id && c.Id !== this.deps.selfId && c.Labels?.[HELPER_LABEL] === undefined) ids.add(c.Id);
    }
    return this.inspectAll([...ids].map((id) => ({ driver: 'docker', group: '', id, name: id, meta: {} })));
  }

  private async peerIps(info: Dockerode.ContainerInspectInfo, peers: readonly Target[]): Promise<string[]> {
    return sharedEndpoints(info, await this.inspectAll(peers)).map((e) => e.ip);
  }

  async partition(target: Target, peers: Target[], direction: 'to' | 'from' | 'both', ctx: RunContext, hold?: Hold): Promise<JsonValue> {
    if (!peers.length) return record('iptables', []);
    const info = await this.running(target);
    const endpoints = sharedEndpoints(info, await this.inspectAll(peers));
    if (!endpoints.length) throw noCommonNetwork(target, peers);
    const access = await this.deps.access();
    const { ref, undo } = await this.nsUndo(info, access);
    const ips = [...new Set(endpoints.map((e) => e.ip))].sort();
    const { chain, comment } = this.chainFor(ctx, target, { partition: ips, direction });
    const spec = partitionChain(ips, direction, chain, comment);
    undo.chains.push(refOf(spec));
    const out = record('iptables', [undo]);
    await this.held(target, out, ctx, hold, () => this.nf(access).apply(ref, [spec]));
    return out;
  }

  // ------------------------------------------------------------------ switch outage

  async members(network: string, _ctx: RunContext): Promise<Target[]> {
    const { members } = await attachments(this.deps.docker, network, this.deps.selfId);
    return members.map((m) => ({ driver: 'docker', group: `network:${network}`, id: m.id, name: m.name, meta: { ips: { [network]: m.ip }, aliases: m.aliases } }));
  }

  /** Disconnects every member of `network`; `revert` with the undo reconnects them with the same addresses and aliases. */
  isolateNetwork(network: string, ctx: RunContext, held?: EngineHold<SwitchUndo>): Promise<SwitchUndo> {
    const holders = this.deps.holders;
    const hold =
      holders && held ? (u: SwitchUndo) => holders.engine({ kind: 'switch-outage', targetId: network, targetName: `network ${network}`, undo: u as unknown as JsonValue }, held.calls(u), ctx, held.hold) : undefined;
    return disconnectAll(this.deps.docker, network, this.deps.selfId, hold);
  }

  // ------------------------------------------------------------------ revert

  /**
   * Plays the undo, then removes the fault's holders: in that order, so a runner killed in the
   * middle of a revert still leaves the holder to finish it (a holder that fires in between finds
   * nothing left to remove). A failed revert keeps its holders.
   */
  async revert(target: Target, undo: JsonValue, ctx: RunContext): Promise<RevertResult> {
    const r = await this.revertOnly(target, undo, ctx);
    const holders = (undo as { holders?: unknown } | null)?.holders;
    if (Array.isArray(holders)) await Promise.all(holders.map((id) => removeHolder(this.deps.docker, String(id))));
    return r;
  }

  private async revertOnly(_target: Target, undo: JsonValue, _ctx: RunContext): Promise<RevertResult> {
    if (isSwitchUndo(undo)) return reconnectAll(this.deps.docker, undo);
    const u = undo as unknown as NetUndo;
    if (!u || !Array.isArray(u.namespaces)) throw new Error(`not a Docker network undo record: ${JSON.stringify(undo)}`);
    const notes: string[] = [];
    let vanished = 0;
    const access = u.namespaces.length ? await this.deps.access() : undefined;
    await Promise.all(
      u.namespaces.map(async (ns) => {
        const state = await this.sameNamespace(ns, access!);
        if (state === 'gone') {
          vanished++;
          return;
        }
        if (typeof state === 'string') {
          notes.push(state);
          return;
        }
        if (ns.chains.length) await this.nf(access!).remove(state, ns.chains);
        await this.unshape(state, ns, access!);
      }),
    );
    if (u.proxy) {
      const proxy = this.proxies.get(u.proxy);
      this.proxies.delete(u.proxy);
      await proxy?.close();
    }
    const result: RevertResult = {};
    if (u.namespaces.length && vanished === u.namespaces.length) result.vanished = true;
    if (notes.length) result.note = notes.join('; ');
    return result;
  }

  /** The namespace to clean, "gone", or a note explaining why there is nothing left to clean. */
  private async sameNamespace(ns: NsUndo, access: NetnsAccess): Promise<NsRef | 'gone' | string> {
    const ref: NsRef = { id: ns.container, name: ns.name, pid: ns.pid };
    if (ns.netns && (await access.identity(ref)) === ns.netns) return ref;
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await this.deps.docker.getContainer(ns.container).inspect();
    } catch (err) {
      if (isNotFound(err)) return 'gone';
      throw err;
    }
    if (!info.State.Running) return `${ns.name} is ${info.State.Status}: its network namespace, and the rules in it, went with it`;
    if (info.State.StartedAt !== ns.startedAt) return `${ns.name} restarted during the fault: its new network namespace never had the rules`;
    return { ...ref, pid: info.State.Pid };
  }

  async close(): Promise<void> {
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.allSettled(all.map((p) => p.close()));
  }
}

function refOf(s: ChainSpec): ChainRef {
  return { table: s.table, chain: s.chain, hooks: s.hooks, comment: s.comment };
}

function record(mechanism: string, namespaces: NsUndo[]): JsonValue {
  return { mechanism, namespaces } as unknown as JsonValue;
}

function noCommonNetwork(target: Target, peers: readonly Target[]): InvalidInputError {
  const mine = Object.keys(recordedAddresses(target)).join(', ') || 'none';
  const theirs = [...new Set(peers.flatMap((p) => Object.keys(recordedAddresses(p))))].join(', ') || 'none';
  return new InvalidInputError(
    `${target.name} shares no Docker network with ${peers.map((p) => p.name).join(', ')} (its networks: ${mine}; theirs: ${theirs}), so there is no traffic between them to cut or delay`,
  );
}
