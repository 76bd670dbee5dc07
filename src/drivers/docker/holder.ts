// Holder containers: what makes a Docker fault end on its own when faultline dies before reverting
// it (SIGKILL, power loss, a lost connection to the engine). Before a fault is applied, something
// outside faultline is armed to remove it at its expiry: in the target's network namespace for
// iptables chains and qdiscs (one container per fault, started at injection), through the engine's
// socket for pause, stop, CPU limits and switch outages (the run's engine holder, started while the
// run is in setup and steady state, each fault registered with it over its stdin:
// run-holder-script.ts; else one container per fault, as for the namespace). A normal revert
// undoes the fault, then removes or releases its holder.
//
// Each per-fault holder carries, in its labels, the run id, its expiry and the undo record it would play,
// so a sweep by run id can end the fault at once even when the ledger never got the undo; and its
// runner (host, pid, start time) and creation time, so that a holder left `created` by a runner
// killed between create and start is removed by the next command or holder (unstarted-helpers.ts).
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { JsonValue } from '../../domain/model.js';
import type { Hold } from '../driver.js';
import { HOLDER_SOCKET, engineCallFunctions, engineCallLines, shq, type EngineCall } from './engine-calls.js';
import { engineMessage, isNotFound, statusOf } from './errors.js';
import { HELPER_LABEL, RUN_ID_LABEL } from './labels.js';
import { HANDLE } from './qdisc.js';
import { runTag, type ChainRef } from './rules.js';
import { ACK_TIMEOUT_MS, RunHolder, isHoldRef } from './run-holder.js';
import { runHolderScript } from './run-holder-script.js';
import { HOLDER_STARTED_SEAM, HOLD_ACKED_SEAM, holderCreatedSeam, seam } from './test-seam.js';
import { ownerLabels, removeStoppedHelpers } from './unstarted-helpers.js';

export const HOLDER_LABEL = 'faultline.holder';
export const EXPIRES_LABEL = 'faultline.expires-at';
export const TARGET_LABEL = 'faultline.target';
export const TARGET_NAME_LABEL = 'faultline.target-name';
export const UNDO_LABEL = 'faultline.undo';
export const FAULT_LABEL = 'faultline.fault';
/** The HOLDER_LABEL of a run's engine holder (per-fault holders carry their fault's kind there). */
export const RUN_HOLDER = 'run-engine';

/**
 * An engine holder's container: the engine's socket and nothing else. It reaches the engine over
 * that socket only, so it needs no network of its own, and making one ('none' is still a new
 * namespace) is most of a container's start: measured here, 150–200 ms against 65–100 ms in the
 * host's namespace. A holder on the injection's critical path (a pause with no steady state) pays
 * it. Sharing the host's namespace grants nothing the socket does not already grant.
 * UsernsMode 'host': an engine with user-namespace remapping refuses the host's network otherwise.
 * An engine that refuses it anyway gets `isolated` (Holders.startEngineHolder).
 */
function engineHolderHostConfig(engineSocket: string, isolated = false): Dockerode.HostConfig {
  const binds = [`${engineSocket}:${HOLDER_SOCKET}`];
  return isolated ? { AutoRemove: true, NetworkMode: 'none', Binds: binds } : { AutoRemove: true, NetworkMode: 'host', UsernsMode: 'host', Binds: binds };
}
export { HOLDER_SOCKET, type EngineCall } from './engine-calls.js';

/**
 * What an engine-held fault hands its mechanism: the hold, and the engine calls that undo the
 * fault, from its undo record (declared by the fault's handler, src/drivers/docker/faults/).
 */
export interface EngineHold<U> {
  hold: Hold;
  calls(undo: U): EngineCall[];
}

// Both holders start by sleeping until a deadline in whole seconds of the container's clock: a
// POSIX shell has no finer clock, and a fault ended up to a second late is still ended.
function sleepUntil(deadlineS: number): string[] {
  return [`d=${Math.ceil(deadlineS)}`, 'r=$((d - $(date +%s))); [ "$r" -gt 1 ] && sleep $((r - 1))', 'while [ "$(date +%s)" -lt "$d" ]; do sleep 0.2; done'];
}

/**
 * The engine holder's script: sh and curl (HTTP over the engine's unix socket), so one small tools
 * image serves both kinds of holder. At the deadline it plays every call at once. Answers that
 * mean "already so" (304, 404, 409, "not paused", "already exists") are success; anything else is
 * retried for half a minute, so an engine that restarts around the expiry is still waited for. A
 * call whose fixed address the network refuses is played again without it (`fallback`).
 */
export function engineScript(deadlineS: number, calls: readonly EngineCall[]): string {
  return [...sleepUntil(deadlineS), ...engineCallFunctions(), engineCallLines(calls), 'wait', 'exit 0'].join('\n');
}

/**
 * The namespace holder's script: sleep until the deadline (whole seconds, from the container's
 * clock), then delete the run's jumps, chains and qdiscs. Each deletion is allowed to fail: what
 * is already gone is what we wanted.
 */
export function netnsScript(deadlineS: number, chains: readonly ChainRef[], devs: readonly string[]): string {
  const lines = [
    // A busybox shell may prefer its own applets (its tc lacks most of tc) over PATH: run each
    // tool by the full path of the first one found in PATH.
    'bin() { for p in $(echo "$PATH" | tr : " "); do [ -x "$p/$1" ] && { echo "$p/$1"; return; }; done; echo "$1"; }',
    'TC=$(bin tc)',
    // The chains were made by whichever iptables injected them: the host's (nsenter) or the helper
    // image's, and either may be the nf_tables or the legacy backend, which do not see each other's
    // rules. So the holder does not guess: it removes the run's chains with every backend the image
    // has (iptables-nft and iptables-legacy, as Alpine and Debian ship them; plain iptables where
    // neither name exists). Removing from a backend that holds nothing just fails, which is fine.
    'IPTS=""; for n in iptables-nft iptables-legacy; do p=$(bin "$n"); [ -x "$p" ] && IPTS="$IPTS $p"; done; [ -n "$IPTS" ] || IPTS=$(bin iptables)',
    ...sleepUntil(deadlineS),
  ];
  if (chains.length > 0) lines.push('for IPT in $IPTS; do');
  for (const c of chains) {
    const t = `"$IPT" -w 5 -t ${c.table}`;
    for (const h of c.hooks) lines.push(`while ${t} -D ${h} -m comment --comment ${shq(c.comment)} -j ${shq(c.chain)} 2>/dev/null; do :; done`);
    lines.push(`${t} -F ${shq(c.chain)} 2>/dev/null; ${t} -X ${shq(c.chain)} 2>/dev/null`);
  }
  if (chains.length > 0) lines.push('done');
  for (const d of devs) lines.push(`"$TC" qdisc del dev ${shq(d)} root handle ${HANDLE} 2>/dev/null`);
  lines.push('exit 0');
  return lines.join('\n');
}

export interface HolderImages {
  /** Needs sh, iptables and tc: the netns helper image. */
  netns: string;
  /** Needs sh and curl: it talks HTTP to the engine's socket. */
  engine: string;
}

export interface HolderOptions {
  images: () => HolderImages;
  /** The engine's own socket, as a path on the engine's host (bind-mounted into engine holders). */
  engineSocket: string;
}

interface Common {
  kind: string;
  targetId: string;
  targetName: string;
  /** What the holder would play, for a sweep that finds it before the ledger has it. */
  undo: JsonValue;
}

export class Holders {
  /** Holders this driver started, by kind and target: null means "injected here, without a holder". */
  private readonly mine = new Map<string, string[] | null>();
  /** The run's engine holder, being started or started (prepare). */
  private run: Promise<RunHolder> | undefined;
  private runReady: RunHolder | undefined;
  /**
   * What this process reverted from ledger records of another process's run (rollback, halt): hold
   * references, and kind/target for undo records that carry none (pause). It cannot release those
   * holds in the run's engine holder, and the sweep that follows must not end them a second time.
   */
  private readonly revertedHere = new Set<string>();

  constructor(
    private readonly docker: Dockerode,
    private readonly opts: HolderOptions,
  ) {}

  private key(runId: string, kind: string, targetId: string): string {
    return `${runId}/${kind}/${targetId}`;
  }

  private labels(c: Common, hold: Hold, ctx: RunContext): Record<string, string> {
    return {
      [HELPER_LABEL]: '1',
      [RUN_ID_LABEL]: ctx.runId,
      [HOLDER_LABEL]: c.kind,
      [FAULT_LABEL]: hold.fault,
      [EXPIRES_LABEL]: new Date(hold.expiresAt).toISOString(),
      [TARGET_LABEL]: c.targetId,
      [TARGET_NAME_LABEL]: c.targetName,
      [UNDO_LABEL]: JSON.stringify(c.undo),
      ...ownerLabels(ctx.clock.now()),
    };
  }

  private name(c: Common, ctx: RunContext): string {
    const who = c.targetName.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40);
    return `faultline-holder-${runTag(ctx.runId)}-${c.kind}-${who}-${randomBytes(3).toString('hex')}`;
  }

  /** Set once the engine refused an engine holder in the host's network namespace. */
  private hostNamespaceRefused = false;

  /**
   * Starts an engine holder; one the engine refused in the host's namespace (rootless or remapped
   * engines may) is started again in a namespace of its own, as every later one of this driver.
   * Not once the run is being stopped: its fault is not injected then.
   */
  private async startEngineHolder(spec: Dockerode.ContainerCreateOptions, what: string, ctx: RunContext, attach?: (c: Dockerode.Container) => Promise<void>): Promise<string> {
    const isolated = this.hostNamespaceRefused;
    try {
      return await this.start({ ...spec, HostConfig: engineHolderHostConfig(this.opts.engineSocket, isolated) }, what, ctx, attach);
    } catch (err) {
      if (isolated || ctx.signal.aborted) throw err;
      this.hostNamespaceRefused = true;
      ctx.log.debug?.(`an engine holder in the host's network namespace did not start (${err instanceof Error ? err.message : String(err)}); trying it in a namespace of its own`);
      return this.start({ ...spec, HostConfig: engineHolderHostConfig(this.opts.engineSocket, true) }, what, ctx, attach);
    }
  }

  /** `attach`, when given, runs between create and start (nothing of a container's output is missed). */
  private async start(spec: Dockerode.ContainerCreateOptions, what: string, ctx: RunContext, attach?: (c: Dockerode.Container) => Promise<void>): Promise<string> {
    // Each new holder also clears what dead runners left between create and start: the next fault
    // injected anywhere is enough for an inert holder not to outlive its run for long. Beside this
    // holder's own calls, not before them (it never touches a live runner's containers, this one
    // included), and done by the time this returns.
    const sweep = removeStoppedHelpers(this.docker, ctx.clock.now()).catch((e: unknown) => ctx.log.warn(`removing never-started helper containers of dead runs: ${engineMessage(e)}`));
    let container: Dockerode.Container | undefined;
    try {
      container = await this.docker.createContainer(spec);
      await holderCreatedSeam(container.id, ctx);
      await attach?.(container);
      await container.start();
      await sweep;
      return container.id;
    } catch (err) {
      await sweep;
      // A holder that never started must not linger as a created container.
      await container?.remove({ force: true }).catch(() => undefined);
      throw new Error(`cannot start the holder container that ends ${what} on time (image ${String(spec.Image)}): ${engineMessage(err)}; the fault was not injected`);
    }
  }

  /**
   * Starts the run's engine holder in the background, off the injection's path: the first
   * engine-held fault registers with it instead of starting a container of its own.
   */
  prepare(ctx: RunContext): void {
    this.run = this.startRun(ctx);
    this.run.then(
      (h) => (this.runReady = h),
      (e: unknown) => ctx.log.debug?.(`the run's engine holder could not be started: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private async startRun(ctx: RunContext): Promise<RunHolder> {
    let stream: Duplex | undefined;
    const started = this.startEngineHolder(
      {
        Image: this.opts.images().engine,
        name: `faultline-holder-${runTag(ctx.runId)}-run-${randomBytes(3).toString('hex')}`,
        Entrypoint: ['sh', '-c'],
        Cmd: [runHolderScript()],
        User: '0',
        // Its stdin is the command channel; StdinOnce closes it when the runner's attach ends
        // (the run is over, or the runner died), which is what lets the holder exit.
        OpenStdin: true,
        StdinOnce: true,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Labels: { [HELPER_LABEL]: '1', [RUN_ID_LABEL]: ctx.runId, [HOLDER_LABEL]: RUN_HOLDER, ...ownerLabels(ctx.clock.now()) },
      },
      "the run's engine-held faults",
      ctx,
      async (c) => {
        // A second attempt (startEngineHolder) attaches again: the first attempt's stream goes.
        stream?.destroy();
        stream = (await c.attach({ hijack: true, stream: true, stdin: true, stdout: true, stderr: true })) as Duplex;
      },
    );
    const id = await started.catch((e: unknown) => {
      stream?.destroy();
      throw e;
    });
    const holder = new RunHolder(id, stream!, this.docker);
    await seam(HOLDER_STARTED_SEAM, id, ctx);
    return holder;
  }

  /** The run's engine holder when it can take a hold; else why not, in a debug line. */
  private async runHolder(ctx: RunContext): Promise<RunHolder | undefined> {
    if (!this.run) {
      ctx.log.debug?.('no engine holder was started ahead of this injection: a holder container is started for this fault');
      return undefined;
    }
    if (!this.runReady) ctx.log.debug?.("the run's engine holder is still starting (no steady state to start it in): the injection waits for it");
    const h = await this.run.catch(() => undefined);
    if (h?.usable) return h;
    ctx.log.debug?.(`the run's engine holder is ${h ? 'gone' : 'not running'}: a holder container is started for this fault`);
    return undefined;
  }

  /**
   * Arms what plays `calls` against the engine at the hold's expiry: a hold registered with the run's
   * engine holder (acknowledged before this returns), else a holder container of its own. Returns
   * its id, or undefined (and remembers that) when the injection carries no hold.
   */
  async engine(c: Common, calls: EngineCall[], ctx: RunContext, hold: Hold | undefined): Promise<string | undefined> {
    const key = this.key(ctx.runId, c.kind, c.targetId);
    if (!hold) {
      this.mine.set(key, null);
      return undefined;
    }
    const id = (await this.register(c, calls, ctx, hold)) ?? (await this.engineContainer(c, calls, ctx, hold));
    this.mine.set(key, [...(this.mine.get(key) ?? []), id]);
    await seam(HOLD_ACKED_SEAM, id, ctx);
    return id;
  }

  private async register(c: Common, calls: EngineCall[], ctx: RunContext, hold: Hold): Promise<string | undefined> {
    const run = await this.runHolder(ctx);
    if (!run) return undefined;
    const record = { kind: c.kind, fault: hold.fault, target: c.targetId, targetName: c.targetName, expiresAt: new Date(hold.expiresAt).toISOString(), undo: c.undo };
    try {
      return await run.hold(record, calls, hold.expiresAt, ctx);
    } catch (e) {
      // Not acknowledged, so the fault is not applied yet: a holder of its own is as safe.
      ctx.log.debug?.(`registering ${c.kind} on ${c.targetName} with the run's engine holder failed (${e instanceof Error ? e.message : String(e)}): a holder container is started for this fault`);
      return undefined;
    }
  }

  private engineContainer(c: Common, calls: EngineCall[], ctx: RunContext, hold: Hold): Promise<string> {
    return this.startEngineHolder(
      {
        Image: this.opts.images().engine,
        name: this.name(c, ctx),
        Entrypoint: ['sh', '-c'],
        Cmd: [engineScript(hold.expiresAt / 1000, calls)],
        // root, for the engine's socket: some tools images default to an unprivileged user.
        User: '0',
        Labels: this.labels(c, hold, ctx),
      },
      `${c.kind} on ${c.targetName}`,
      ctx,
    );
  }

  /**
   * Starts a holder in `netns` (a container's namespace, or the host's for host-side veths) that
   * removes `chains` and the qdiscs on `devs` at the hold's expiry.
   */
  async netns(c: Common, netns: { container: string } | 'host', chains: readonly ChainRef[], devs: readonly string[], ctx: RunContext, hold: Hold | undefined): Promise<string | undefined> {
    if (!hold) return undefined;
    return this.start(
      {
        Image: this.opts.images().netns,
        name: this.name(c, ctx),
        Entrypoint: ['sh', '-c'],
        Cmd: [netnsScript(hold.expiresAt / 1000, chains, devs)],
        Labels: this.labels(c, hold, ctx),
        HostConfig: { AutoRemove: true, NetworkMode: netns === 'host' ? 'host' : `container:${netns.container}`, CapAdd: ['NET_ADMIN', 'NET_RAW'] },
      },
      `${c.kind} on ${c.targetName}`,
      ctx,
    );
  }

  /**
   * Removes or releases holders after a revert: the given ids, else those this driver armed for the
   * kind and target, else (another process: rollback, halt) the holder containers the engine knows
   * by their labels. Holds of the run's engine holder are released by the runner that registered
   * them; another process leaves them to the sweep, which ends the whole holder.
   */
  async release(runId: string, kind: string, targetId: string, ids?: readonly string[], ctx?: RunContext): Promise<void> {
    let list = ids ? [...ids] : undefined;
    const key = this.key(runId, kind, targetId);
    if (!list && this.mine.has(key)) list = this.mine.get(key) ?? [];
    if (!list) {
      const found = await this.docker.listContainers({ all: true, filters: { label: [`${RUN_ID_LABEL}=${runId}`, `${HOLDER_LABEL}=${kind}`, `${TARGET_LABEL}=${targetId}`] } });
      list = found.map((c) => c.Id);
    }
    await this.releaseIds(list, ctx);
    if (!this.runReady) this.revertedHere.add(`${kind}/${targetId}`);
    this.mine.delete(key);
  }

  /** Removes these holder containers and releases these holds (see release). */
  async releaseIds(ids: readonly string[], ctx?: RunContext): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        if (!isHoldRef(id)) return removeHolder(this.docker, id);
        if (ctx && this.runReady?.owns(id)) await this.runReady.release(id, ctx);
        else this.revertedHere.add(id);
      }),
    );
  }

  /** Whether this process already reverted the fault of this hold (see revertedHere). */
  reverted(holdRef: string, kind: string, targetId: string): boolean {
    return this.revertedHere.has(holdRef) || this.revertedHere.has(`${kind}/${targetId}`);
  }

  /**
   * At the run's end: the run's engine holder is removed (and waited for: the engine's own
   * AutoRemove may be removing it at that moment, and a removal in progress still lists it), or
   * left to end what it still holds.
   */
  async close(ctx: RunContext): Promise<void> {
    const h = await this.run?.catch(() => undefined);
    if (!h?.close()) return;
    await removeHolder(this.docker, h.containerId);
    const stop = new AbortController();
    const gone = this.docker
      .getContainer(h.containerId)
      .wait({ condition: 'removed', abortSignal: stop.signal })
      .catch(() => undefined);
    await Promise.race([gone, ctx.clock.sleep(ACK_TIMEOUT_MS, stop.signal).catch(() => undefined)]);
    stop.abort();
  }
}

export async function removeHolder(docker: Dockerode, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true });
  } catch (err) {
    // Gone already (it fired and removed itself), or being removed by the engine right now.
    if (isNotFound(err) || statusOf(err) === 409) return;
    throw new Error(`cannot remove holder container ${id.slice(0, 12)}: ${engineMessage(err)}`);
  }
}

/** The calls that undo an engine-level fault, from its undo record. */
export function pauseCalls(containerId: string): EngineCall[] {
  return [{ path: `/containers/${containerId}/unpause` }];
}

export function startCalls(containerId: string): EngineCall[] {
  return [{ path: `/containers/${containerId}/start` }];
}

export function cpuCalls(u: { container: string; nanoCpus: number; cpuQuota: number; cpuPeriod: number }): EngineCall[] {
  const body: JsonValue = u.nanoCpus > 0 ? { NanoCpus: u.nanoCpus } : { CpuPeriod: u.cpuPeriod > 0 ? u.cpuPeriod : 100_000, CpuQuota: u.cpuQuota > 0 ? u.cpuQuota : -1 };
  return [{ path: `/containers/${u.container}/update`, body }];
}

export function reconnectCalls(u: { networkId: string; members: { id: string; ip: string; aliases: string[] }[] }): EngineCall[] {
  return u.members.map((m) => {
    const plain = { Container: m.id, EndpointConfig: { Aliases: m.aliases } };
    return m.ip ? { path: `/networks/${u.networkId}/connect`, body: { Container: m.id, EndpointConfig: { Aliases: m.aliases, IPAMConfig: { IPv4Address: m.ip } } }, fallback: plain } : { path: `/networks/${u.networkId}/connect`, body: plain };
  });
}
