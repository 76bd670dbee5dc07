// The Docker driver's network actions: iptables chains and tc qdiscs inside a container's network
// namespace, the delaying proxy where the kernel has no netem, and switch outages. Every undo
// record names the namespace it touched and when its container started, so a revert can tell
// "rules removed" from "container restarted and took its rules with it".
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { JsonValue, Target } from '../../domain/model.js';
import type { FaultProxy } from '../../proxy/index.js';
import type { Hold, Impairment, NetworkActions, RevertResult } from '../driver.js';
import { removeHolder, type EngineHold, type Holders } from './holder.js';
import { filterChain, partitionChain } from './impairment-rules.js';
import { sharedEndpoints, startDelayingProxy } from './latency-proxy.js';
import type { NetemSupport } from './netem.js';
import { Netfilter } from './netfilter.js';
import type { NetnsAccess, NsRef } from './netns.js';
import { describeImpairment } from './network-describe.js';
import { holdNetworkFault } from './network-holders.js';
import { inspectRunning, neighbours, peerIps } from './network-peers.js';
import { shape, unshape } from './network-shaping.js';
import { noCommonNetwork, nsUndo, record, refOf, runningContainer, sameNamespace, type NetUndo, type NsUndo } from './network-undo.js';
import { FAULT_APPLIED_SEAM, seam } from './test-seam.js';
import { netemArgs, netemToPeersArgs, tbfArgs } from './qdisc.js';
import { chainName, jumpComment } from './rules.js';
import { disconnectAll, isSwitchUndo, reconnectAll, attachments, type SwitchUndo } from './switch.js';

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
    return describeImpairment(target, imp, this.deps.accessMode(), this.deps.netem);
  }

  // ------------------------------------------------------------------ inject

  private nf(access: NetnsAccess): Netfilter {
    this.netfilter ??= new Netfilter(access);
    return this.netfilter;
  }

  private held(target: Target, out: JsonValue, ctx: RunContext, hold: Hold | undefined, apply: () => Promise<void>): Promise<void> {
    return holdNetworkFault(this.deps.docker, this.deps.holders, target, out, ctx, hold, apply);
  }

  private chainFor(ctx: RunContext, target: Target, what: unknown): { chain: string; comment: string } {
    return { chain: chainName(ctx.runId, `${target.id}:${JSON.stringify(what)}`), comment: jumpComment(ctx.runId) };
  }

  /** `hold`, when given, starts holders that remove the impairment at its expiry. */
  async impair(target: Target, imp: Impairment, ctx: RunContext, hold?: Hold): Promise<JsonValue> {
    const info = await runningContainer(this.deps.docker, target);
    const access = await this.deps.access();
    const { ref, undo } = await nsUndo(info, access);
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
        await shape(ref, undo, access, imp.direction, (dev) => [tbfArgs(dev, imp.bytesPerSecond)], (apply) => this.held(target, out, ctx, hold, apply));
        return out;
      }
      case 'latency': {
        if (await this.deps.netem.available(ctx)) {
          const ips = peers?.length ? await peerIps(this.deps.docker, info, peers) : [];
          if (peers?.length && !ips.length) throw noCommonNetwork(target, peers);
          const out = record('netem', [undo]);
          await shape(
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
    const peerInfos = peers?.length ? await inspectRunning(this.deps.docker, peers) : await neighbours(this.deps.docker, info, this.deps.selfId);
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

  async partition(target: Target, peers: Target[], direction: 'to' | 'from' | 'both', ctx: RunContext, hold?: Hold): Promise<JsonValue> {
    if (!peers.length) return record('iptables', []);
    const info = await runningContainer(this.deps.docker, target);
    const endpoints = sharedEndpoints(info, await inspectRunning(this.deps.docker, peers));
    if (!endpoints.length) throw noCommonNetwork(target, peers);
    const access = await this.deps.access();
    const { ref, undo } = await nsUndo(info, access);
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
  async isolateNetwork(network: string, ctx: RunContext, held?: EngineHold<SwitchUndo>): Promise<SwitchUndo> {
    const holders = this.deps.holders;
    const hold =
      holders && held ? (u: SwitchUndo) => holders.engine({ kind: 'switch-outage', targetId: network, targetName: `network ${network}`, undo: u as unknown as JsonValue }, held.calls(u), ctx, held.hold) : undefined;
    const undo = await disconnectAll(this.deps.docker, network, this.deps.selfId, hold, holders && ((id) => holders.releaseIds([id], ctx)));
    await seam(FAULT_APPLIED_SEAM, network, ctx);
    return undo;
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
    if (Array.isArray(holders)) {
      const ids = holders.map(String);
      await (this.deps.holders ? this.deps.holders.releaseIds(ids, ctx) : Promise.all(ids.map((id) => removeHolder(this.deps.docker, id))));
    }
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
        const state = await sameNamespace(this.deps.docker, ns, access!);
        if (state === 'gone') {
          vanished++;
          return;
        }
        if (typeof state === 'string') {
          notes.push(state);
          return;
        }
        if (ns.chains.length) await this.nf(access!).remove(state, ns.chains);
        await unshape(state, ns, access!);
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

  async close(): Promise<void> {
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.allSettled(all.map((p) => p.close()));
  }
}

