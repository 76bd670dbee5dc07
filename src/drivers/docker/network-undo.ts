// The undo record of a Docker network fault: every namespace it touched, named with its identity
// and its container's start time, so a revert can tell "rules removed" from "container restarted
// and took its rules with it".
import type Dockerode from 'dockerode';
import { InvalidInputError } from '../../domain/errors.js';
import type { JsonValue, Target } from '../../domain/model.js';
import { isNotFound } from './errors.js';
import { recordedAddresses } from './facts.js';
import type { NetnsAccess, NsRef } from './netns.js';
import type { ChainRef, ChainSpec } from './rules.js';

/** What was changed in one network namespace, and how to recognise that namespace again. */
export interface NsUndo {
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

/** The undo record of a Docker network fault. */
export interface NetUndo {
  mechanism: string;
  namespaces: NsUndo[];
  proxy?: string;
  /** Holder containers that remove the fault at expiry if faultline cannot. */
  holders?: string[];
}

/** The target's container, which must be running: a network fault needs its namespace. */
export async function runningContainer(docker: Dockerode, target: Target): Promise<Dockerode.ContainerInspectInfo> {
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await docker.getContainer(target.id).inspect();
  } catch (err) {
    if (isNotFound(err)) throw new Error(`${target.name} no longer exists (it disappeared after selection)`);
    throw err;
  }
  if (!info.State.Running || info.State.Pid <= 0) throw new Error(`${target.name} is not running (${info.State.Status}), so it has no network namespace to change`);
  return info;
}

/** The undo record of one namespace, before anything is changed in it. */
export async function nsUndo(info: Dockerode.ContainerInspectInfo, access: NetnsAccess): Promise<{ ref: NsRef; undo: NsUndo }> {
  const ref: NsRef = { id: info.Id, name: info.Name.replace(/^\//, ''), pid: info.State.Pid };
  const netns = (await access.identity(ref)) ?? null;
  return { ref, undo: { container: info.Id, name: ref.name, pid: ref.pid, startedAt: info.State.StartedAt, netns, chains: [], devs: [], hostDevs: [] } };
}

/** The namespace to clean, "gone", or a note explaining why there is nothing left to clean. */
export async function sameNamespace(docker: Dockerode, ns: NsUndo, access: NetnsAccess): Promise<NsRef | 'gone' | string> {
  const ref: NsRef = { id: ns.container, name: ns.name, pid: ns.pid };
  if (ns.netns && (await access.identity(ref)) === ns.netns) return ref;
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await docker.getContainer(ns.container).inspect();
  } catch (err) {
    if (isNotFound(err)) return 'gone';
    throw err;
  }
  if (!info.State.Running) return `${ns.name} is ${info.State.Status}: its network namespace, and the rules in it, went with it`;
  if (info.State.StartedAt !== ns.startedAt) return `${ns.name} restarted during the fault: its new network namespace never had the rules`;
  return { ...ref, pid: info.State.Pid };
}

export function refOf(s: ChainSpec): ChainRef {
  return { table: s.table, chain: s.chain, hooks: s.hooks, comment: s.comment };
}

export function record(mechanism: string, namespaces: NsUndo[]): JsonValue {
  return { mechanism, namespaces } as unknown as JsonValue;
}

export function noCommonNetwork(target: Target, peers: readonly Target[]): InvalidInputError {
  const mine = Object.keys(recordedAddresses(target)).join(', ') || 'none';
  const theirs = [...new Set(peers.flatMap((p) => Object.keys(recordedAddresses(p))))].join(', ') || 'none';
  return new InvalidInputError(
    `${target.name} shares no Docker network with ${peers.map((p) => p.name).join(', ')} (its networks: ${mine}; theirs: ${theirs}), so there is no traffic between them to cut or delay`,
  );
}
