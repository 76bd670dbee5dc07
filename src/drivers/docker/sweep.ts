// What a run left behind when it could not revert (faultline was killed): holder containers (whose
// faults are ended from the undo they carry), other helper containers with its run id, and its FL-
// chains in any running container's namespace. All carry the run id, so a sweep removes exactly
// that run's leftovers and nothing of any other run.
import type Dockerode from 'dockerode';
import type { FaultKind } from '../../domain/fault-kinds/catalog.js';
import type { JsonValue, Target } from '../../domain/model.js';
import { formatDuration } from '../../domain/units.js';
import type { RevertResult } from '../driver.js';
import { isNotFound, statusOf } from './errors.js';
import { EXPIRES_LABEL, FAULT_LABEL, HOLDER_LABEL, RUN_HOLDER, TARGET_LABEL, TARGET_NAME_LABEL, UNDO_LABEL, removeHolder } from './holder.js';
import { activeHolds, stdoutOf } from './holder-log.js';
import { HELPER_LABEL, RUN_ID_LABEL } from './labels.js';
import type { NetnsAccess } from './netns.js';
import { jumpComment, removeFromSaved, runTag, type ChainRef, type Table } from './rules.js';

/** The run's chains named in an iptables-save dump, as references removeFromSaved understands. */
export function runChains(save: string, runId: string): ChainRef[] {
  const prefix = `FL-${runTag(runId)}-`;
  const refs: ChainRef[] = [];
  let table: Table | undefined;
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line === '*filter' || line === '*nat' ? (line.slice(1) as Table) : undefined;
    else if (table && line.startsWith(`:${prefix}`)) refs.push({ table, chain: line.slice(1).split(' ')[0]!, hooks: [], comment: jumpComment(runId) });
  }
  return refs;
}

export async function sweepRun(docker: Dockerode, access: () => Promise<NetnsAccess>, runId: string): Promise<string[]> {
  const removed: string[] = [];
  const helpers = await docker.listContainers({ all: true, filters: { label: [`${RUN_ID_LABEL}=${runId}`, `${HELPER_LABEL}=1`] } });
  for (const h of helpers) {
    // Holders are fireHolders' business: one whose fault could not be ended must keep running.
    if (h.Labels?.[HOLDER_LABEL] !== undefined) continue;
    await docker
      .getContainer(h.Id)
      .remove({ force: true })
      .then(() => removed.push(`helper container ${h.Names[0]?.replace(/^\//, '') ?? h.Id.slice(0, 12)}`))
      .catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
  }
  const running = (await docker.listContainers({ filters: { status: ['running'] } })).filter((c) => c.Labels?.[HELPER_LABEL] === undefined);
  if (!running.length) return removed;
  const ns = await access();
  for (const c of running) {
    const info = await docker.getContainer(c.Id).inspect().catch(() => undefined);
    if (!info?.State.Running || info.State.Pid <= 0 || info.HostConfig.NetworkMode === 'host' || info.HostConfig.NetworkMode?.startsWith('container:')) continue;
    const ref = { id: c.Id, name: info.Name.replace(/^\//, ''), pid: info.State.Pid };
    const save = await ns.run(ref, ['iptables-save']);
    if (save.code !== 0) continue;
    const refs = runChains(save.stdout, runId);
    if (!refs.length) continue;
    const text = removeFromSaved(save.stdout, refs);
    const r = await ns.run(ref, ['iptables-restore', '--noflush'], text);
    if (r.code !== 0) throw new Error(`removing ${refs.map((x) => x.chain).join(', ')} from ${ref.name} failed: ${r.stderr.trim()}`);
    for (const x of refs) removed.push(`iptables chain ${x.chain} (${x.table}) in ${ref.name}`);
  }
  return removed;
}

type Replay = (kind: FaultKind, target: Target, undo: JsonValue) => Promise<RevertResult>;
/** Whether this process already reverted a hold's fault from the ledger (Holders.reverted). */
type Reverted = (holdRef: string, kind: string, targetId: string) => boolean;

/**
 * Ends, at once, every fault the run's engine holder still holds, from the records its log shows
 * (run-holder-script.ts), then removes it. Returns a line per fault ended; throws, leaving the
 * holder to end the rest at expiry, when one cannot be.
 */
async function fireRunHolder(docker: Dockerode, id: string, name: string, replay: Replay, reverted: Reverted): Promise<string[]> {
  let log: Buffer;
  try {
    log = (await docker.getContainer(id).logs({ stdout: true, stderr: false, follow: false })) as unknown as Buffer;
  } catch (e) {
    // Exiting (the engine is removing it) or gone: it exits only once its stdin is closed and every
    // hold has fired or been released, so it has nothing left to end.
    if (isNotFound(e) || statusOf(e) === 409) return [`holder container ${name} (the run's engine holder): had ended what it held and exited`];
    throw e;
  }
  const done: string[] = [];
  const failed: string[] = [];
  for (const { id: hold, record: r } of activeHolds(stdoutOf(log))) {
    if (r && reverted(`${id}:${hold}`, r.kind, r.target)) continue;
    if (!r) {
      failed.push(`hold ${hold} of ${name}: its record in the holder's log cannot be read`);
      continue;
    }
    const target: Target = { driver: 'docker', group: '', id: r.target, name: r.targetName, meta: {} };
    try {
      await replay(r.kind as FaultKind, target, r.undo);
      done.push(`held by ${name}: ${r.kind} "${r.fault}" on ${r.targetName} (due ${r.expiresAt}): fault ended from its record`);
    } catch (e) {
      failed.push(`${r.kind} on ${r.targetName} (held by ${name}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failed.length) throw new Error(failed.join('; '));
  await removeHolder(docker, id);
  return [...done, `holder container ${name} (the run's engine holder): removed`];
}

/**
 * Ends, at once, the fault of every holder container of run `runId`, from the undo record the
 * holder carries (per-fault holders, in a label) or shows in its log (the run's engine holder),
 * then removes the holder. Used by sweep: the ledger of a runner killed between arming a holder
 * and recording the undo has no undo to replay, the holder has. A holder whose replay fails is
 * left running: it still ends its faults at expiry, and a later sweep retries.
 */
export async function fireHolders(
  docker: Dockerode,
  runId: string,
  replay: Replay,
  /** Holds whose fault this process has already reverted from the ledger: not replayed again. */
  reverted: Reverted = () => false,
): Promise<string[]> {
  const holders = await docker.listContainers({ all: true, filters: { label: [`${RUN_ID_LABEL}=${runId}`, HOLDER_LABEL] } });
  const removed: string[] = [];
  const failed: string[] = [];
  await Promise.all(
    holders.map(async (h) => {
      const l = h.Labels ?? {};
      const kind = (l[HOLDER_LABEL] ?? 'unknown') as FaultKind;
      const name = h.Names[0]?.replace(/^\//, '') ?? h.Id.slice(0, 12);
      const target: Target = { driver: 'docker', group: '', id: l[TARGET_LABEL] ?? '', name: l[TARGET_NAME_LABEL] ?? l[TARGET_LABEL] ?? '?', meta: {} };
      try {
        // Never started: its fault was never applied (a fault waits for its holder's start), so
        // replaying its undo could only touch what someone else did to the target since.
        if (h.State === 'created') {
          await removeHolder(docker, h.Id);
          removed.push(l[HOLDER_LABEL] === RUN_HOLDER ? `holder container ${name} (the run's engine holder): never started, nothing held` : `holder container ${name} (${kind} "${l[FAULT_LABEL] ?? '?'}" on ${target.name}): never started, no fault behind it`);
          return;
        }
        if (l[HOLDER_LABEL] === RUN_HOLDER) {
          removed.push(...(await fireRunHolder(docker, h.Id, name, replay, reverted)));
          return;
        }
        const undo = JSON.parse(l[UNDO_LABEL] ?? 'null') as JsonValue;
        if (undo !== null) await replay(kind, target, undo);
        await removeHolder(docker, h.Id);
        removed.push(`holder container ${name} (${kind} "${l[FAULT_LABEL] ?? '?'}" on ${target.name}, due ${l[EXPIRES_LABEL] ?? '?'}): fault ended from its record`);
      } catch (e) {
        failed.push(`${kind} on ${target.name} (holder ${name}): ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  if (failed.length) throw new Error(`could not end ${failed.join('; ')}; their holders still end them at expiry`);
  return removed;
}
