// Helper containers that never ran (or ran and stopped) and whose run is over: what a runner killed
// between two engine calls leaves. Docker has no call that creates and starts a container in one
// step (`docker run` is the client doing both), and AutoRemove (`--rm`) only acts when a started
// container exits: a runner killed after `create` and before `start` leaves a container in state
// `created` that nothing will ever start or remove.
//
// Such a holder is harmless by construction: a held fault is applied only after its holder's start
// returned, so behind a never-started holder there is no fault, and nothing starts it (no restart
// policy; the engine never starts a created container by itself). It must still not outlive its
// run, so every faultline command that talks to the engine (run, plan, rollback, halt: at connect)
// and the driver before it creates each new holder remove every stopped helper container whose
// runner is gone:
// - the runner ran on this host (hostname label) and its pid is dead or belongs to another process
//   (start time label, as the ledger's halt machinery does): removed at once;
// - the runner is on another host, or the container has no runner label: removed once it is older
//   than UNSTARTED_GRACE_MS, far beyond any live runner's gap between create and start.
// A live runner's helper is never touched. Removal is never forced: a container that a live runner
// (on another host) starts at that very moment makes the removal fail and stays, so a running
// holder is never taken from under its fault; a helper removed just before its runner starts it
// makes that start fail, and the fault is then not injected (fails closed).
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { processAlive, processStartTime } from '../../runtime/processes.js';
import { isNotFound, statusOf } from './errors.js';
import { HELPER_LABEL, RUN_ID_LABEL } from './labels.js';

/** `<hostname>/<pid>/<pid start time>` of the process that created the container. */
export const RUNNER_LABEL = 'faultline.runner';
export const CREATED_LABEL = 'faultline.created-at';

/** How old a stopped helper of a runner we cannot see (another host) must be before it is removed. */
export const UNSTARTED_GRACE_MS = 30_000;

/** The label that lets any later command tell whether this container's creator still lives. */
export function runnerLabel(): Record<string, string> {
  return { [RUNNER_LABEL]: `${hostname()}/${process.pid}/${processStartTime(process.pid) ?? ''}` };
}

/** The runner, and the creation time by the runner's clock (holders carry both). */
export function ownerLabels(now: number): Record<string, string> {
  return { ...runnerLabel(), [CREATED_LABEL]: new Date(now).toISOString() };
}

export interface Here {
  hostname: string;
  /** Whether the process with this pid (and start time, when known) is alive on this host. */
  alive(pid: number, start: string | undefined): boolean;
}

export const thisHost: Here = {
  hostname: hostname(),
  alive: (pid, start) => processAlive(pid) && (start === undefined || processStartTime(pid) === start),
};

/** Whether a stopped helper container with these labels belongs to a run that is over. Pure. */
export function runIsOver(labels: Record<string, string>, createdMs: number, now: number, here: Here): boolean {
  const [host, pid, start] = (labels[RUNNER_LABEL] ?? '').split('/');
  if (host === here.hostname && pid && /^\d+$/.test(pid)) return !here.alive(Number(pid), start || undefined);
  const created = Date.parse(labels[CREATED_LABEL] ?? '');
  return now - (Number.isNaN(created) ? createdMs : created) > UNSTARTED_GRACE_MS;
}

/**
 * Removes every faultline helper container that is not running (created and never started, or
 * exited) and whose run is over. Returns a line per container removed.
 */
export async function removeStoppedHelpers(docker: Dockerode, now: number, here: Here = thisHost): Promise<string[]> {
  const found = await docker.listContainers({ all: true, filters: { label: [`${HELPER_LABEL}=1`], status: ['created', 'exited', 'dead'] } });
  const removed: string[] = [];
  for (const c of found) {
    if (!runIsOver(c.Labels ?? {}, c.Created * 1000, now, here)) continue;
    try {
      await docker.getContainer(c.Id).remove();
      removed.push(`${c.State} helper container ${c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)} of run ${c.Labels?.[RUN_ID_LABEL] ?? '?'}`);
    } catch (err) {
      // Gone already, or started meanwhile (a running container is not removed without force).
      if (!isNotFound(err) && statusOf(err) !== 409) throw err;
    }
  }
  return removed;
}
