// Holder containers: what makes a Docker fault end on its own when faultline dies before reverting
// it (SIGKILL, power loss, a lost connection to the engine). At injection, before the fault is
// applied, the driver starts one small container per fault that sleeps until the fault's expiry
// and then removes the fault itself: in the target's network namespace for iptables chains and
// qdiscs, through the engine's socket for pause, stop, CPU limits and switch outages. A normal
// revert removes the holder first, so it never acts on a target that was already healed.
//
// Each holder carries, in its labels, the run id, its expiry and the undo record it would play,
// so a sweep by run id can end the fault at once even when the ledger never got the undo; and its
// runner (host, pid, start time) and creation time, so that a holder left `created` by a runner
// killed between create and start is removed by the next command or holder (unstarted-helpers.ts).
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { JsonValue } from '../../domain/model.js';
import type { Hold } from '../driver.js';
import { engineMessage, isNotFound, statusOf } from './errors.js';
import { HELPER_LABEL, RUN_ID_LABEL } from './labels.js';
import { HANDLE } from './qdisc.js';
import { runTag, type ChainRef } from './rules.js';
import { holderCreatedSeam } from './test-seam.js';
import { ownerLabels, removeStoppedHelpers } from './unstarted-helpers.js';

export const HOLDER_LABEL = 'faultline.holder';
export const EXPIRES_LABEL = 'faultline.expires-at';
export const TARGET_LABEL = 'faultline.target';
export const TARGET_NAME_LABEL = 'faultline.target-name';
export const UNDO_LABEL = 'faultline.undo';
export const FAULT_LABEL = 'faultline.fault';

/** One engine API call a holder makes at expiry; `fallback` is tried when the engine refuses `body`. */
export interface EngineCall {
  path: string;
  body?: JsonValue;
  fallback?: JsonValue;
}

/**
 * What an engine-held fault hands its mechanism: the hold, and the engine calls that undo the
 * fault, from its undo record (declared by the fault's handler, src/drivers/docker/faults/).
 */
export interface EngineHold<U> {
  hold: Hold;
  calls(undo: U): EngineCall[];
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Where an engine holder finds the engine's socket (bind-mounted there from the engine's host). */
export const HOLDER_SOCKET = '/var/run/docker.sock';

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
  const lines = [
    ...sleepUntil(deadlineS),
    // curl prints its own error (exit != 0, code 000) when the socket does not answer: that is retried too.
    `post() { r=$(curl -sS --max-time 10 --unix-socket ${HOLDER_SOCKET} -X POST -H 'Content-Type: application/json' --data-binary "$2" -w ' %{http_code}' "http://localhost$1" 2>&1); code=\${r##* }; text=\${r% *}; }`,
    'one() {',
    '  i=0',
    '  while [ "$i" -lt 60 ]; do',
    '    post "$1" "$2"',
    '    if [ -n "$3" ] && [ "$code" -ge 300 ] && echo "$text" | grep -qi "user specified IP address is supported only"; then post "$1" "$3"; fi',
    '    case "$code" in 2??|304|404|409) return 0 ;; esac',
    '    echo "$text" | grep -Eqi "already (exists|connected|started|stopped|paused)|is not (paused|running)|No such" && return 0',
    '    echo "$1: $code $text" >&2',
    '    i=$((i + 1)); sleep 0.5',
    '  done',
    '}',
  ];
  const body = (b: JsonValue | undefined) => shq(b === undefined ? '' : JSON.stringify(b));
  for (const c of calls) lines.push(`one ${shq(c.path)} ${body(c.body)} ${c.fallback === undefined ? "''" : body(c.fallback)} &`);
  lines.push('wait', 'exit 0');
  return lines.join('\n');
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

  private async start(spec: Dockerode.ContainerCreateOptions, what: string, ctx: RunContext): Promise<string> {
    // Each new holder first clears what dead runners left between create and start: the next
    // fault injected anywhere is enough for an inert holder not to outlive its run for long.
    await removeStoppedHelpers(this.docker, ctx.clock.now()).catch((e: unknown) => ctx.log.warn(`removing never-started helper containers of dead runs: ${engineMessage(e)}`));
    let container: Dockerode.Container | undefined;
    try {
      container = await this.docker.createContainer(spec);
      await holderCreatedSeam(container.id, ctx);
      await container.start();
      return container.id;
    } catch (err) {
      // A holder that never started must not linger as a created container.
      await container?.remove({ force: true }).catch(() => undefined);
      throw new Error(`cannot start the holder container that ends ${what} on time (image ${String(spec.Image)}): ${engineMessage(err)}; the fault was not injected`);
    }
  }

  /**
   * Starts a holder that plays `calls` against the engine at the hold's expiry. Returns its id, or
   * undefined (and remembers that) when the injection carries no hold.
   */
  async engine(c: Common, calls: EngineCall[], ctx: RunContext, hold: Hold | undefined): Promise<string | undefined> {
    const key = this.key(ctx.runId, c.kind, c.targetId);
    if (!hold) {
      this.mine.set(key, null);
      return undefined;
    }
    const id = await this.start(
      {
        Image: this.opts.images().engine,
        name: this.name(c, ctx),
        Entrypoint: ['sh', '-c'],
        Cmd: [engineScript(hold.expiresAt / 1000, calls)],
        // root, for the engine's socket: some tools images default to an unprivileged user.
        User: '0',
        Labels: this.labels(c, hold, ctx),
        HostConfig: { AutoRemove: true, NetworkMode: 'none', Binds: [`${this.opts.engineSocket}:${HOLDER_SOCKET}`] },
      },
      `${c.kind} on ${c.targetName}`,
      ctx,
    );
    this.mine.set(key, [...(this.mine.get(key) ?? []), id]);
    return id;
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
   * Removes holders before a revert: the given ids, else those this driver started for the kind and
   * target, else (another process: rollback, halt) those the engine knows by their labels.
   */
  async release(runId: string, kind: string, targetId: string, ids?: readonly string[]): Promise<void> {
    let list = ids ? [...ids] : undefined;
    const key = this.key(runId, kind, targetId);
    if (!list && this.mine.has(key)) list = this.mine.get(key) ?? [];
    if (!list) {
      const found = await this.docker.listContainers({ all: true, filters: { label: [`${RUN_ID_LABEL}=${runId}`, `${HOLDER_LABEL}=${kind}`, `${TARGET_LABEL}=${targetId}`] } });
      list = found.map((c) => c.Id);
    }
    await Promise.all(list.map((id) => removeHolder(this.docker, id)));
    this.mine.delete(key);
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
