// What a Docker fault handler declares beyond the common contract: how a held fault ends on its own
// if faultline dies (its holder container), and the expiry texts `plan` shows for each family.
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import { formatDuration } from '../../../domain/units.js';
import type { FaultHandler } from '../../fault-handler.js';
import type { DockerDriver } from '../docker-driver.js';
import type { EngineCall } from '../holder.js';

/**
 * The holder that ends a held fault at its expiry: an engine holder (sh and curl, the engine's socket)
 * playing `calls` from the undo record, or a namespace holder (iptables, tc) removing the run's
 * chains and qdiscs. Which image a run needs is derived from this.
 */
export type HolderPlan<U> = { image: 'engine'; calls(undo: U): EngineCall[] } | { image: 'netns' };

export interface DockerFaultHandler<K extends FaultKind, U> extends FaultHandler<K, DockerDriver, U> {
  /** Every held kind has one (the completeness test checks it); instant kinds have none. */
  holder?: HolderPlan<U>;
}

/**
 * What Docker faults change on their victim (FaultHandler.touches). Stopping, killing or restarting
 * a container gives it a new network namespace, so everything a network fault put there is gone.
 */
export const CONTAINER_STATE = 'container state';
export const NETNS = 'network namespace';
/** netem (latency) and tbf (bandwidth) are both the interface's one root qdisc: the second would replace the first, either revert removes both. */
export const ROOT_QDISC = `${NETNS}/root qdisc`;
/** Loss, timeout, dns and partition each add their own chain; two of one kind with equal parameters would share it. */
export const chainOf = (kind: FaultKind) => `${NETNS}/iptables ${kind} chain`;

const ROLLBACK = '`faultline rollback` ends it at once';

/** Expiry of a fault a namespace holder removes. */
export function netnsExpiry(d: DockerDriver, ttlMs: number, what: string): string {
  const { images, holders } = d.holderFacts();
  return holders
    ? `a holder container (${images.netns}) in the container's network namespace removes ${what} when the TTL (${formatDuration(ttlMs)}) is up, even if faultline was killed; ${ROLLBACK}`
    : `${what} stays until \`faultline rollback\` replays the undo from the ledger or sweeps the run's FL- chains, or the container restarts (holders disabled)`;
}

/** Expiry of a fault an engine holder ends. */
export function engineExpiry(d: DockerDriver, ttlMs: number, what: string): string {
  const { images, holders } = d.holderFacts();
  return holders
    ? `a holder container (${images.engine}, with the engine's socket: the run's engine holder, started during setup, else one for this fault) ${what} through the engine API when the TTL (${formatDuration(ttlMs)}) is up, even if faultline was killed; ${ROLLBACK}`
    : `nobody ${what} until \`faultline rollback\` replays the undo from the ledger (holders disabled)`;
}
