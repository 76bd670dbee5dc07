// What a run left behind when it could not revert (faultline was killed): helper containers with its
// run id, and its FL- chains in any running container's namespace. Both carry the run id, so a
// sweep removes exactly that run's leftovers and nothing of any other run.
import type Dockerode from 'dockerode';
import { isNotFound } from './errors.js';
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

const KEPT_UNTIL_ROLLBACK = 'until `faultline rollback` replays the undo from the ledger';

/** What happens to a Docker fault if faultline dies before reverting it. */
export function dockerExpiry(kind: string): string {
  switch (kind) {
    case 'partition':
    case 'loss':
    case 'timeout':
    case 'dns':
      return `the run's iptables chain stays in the container's namespace until \`faultline rollback\` sweeps the run's FL- chains, or the container restarts (a new namespace)`;
    case 'latency':
      return `tc netem: the qdisc stays ${KEPT_UNTIL_ROLLBACK} or the container restarts; delaying proxy: the proxy dies with faultline and the run's NAT chain (swept by \`faultline rollback\`) then points new connections at nothing`;
    case 'bandwidth':
      return `the tbf qdisc stays ${KEPT_UNTIL_ROLLBACK}, or the container restarts`;
    case 'pause':
      return `the container stays paused ${KEPT_UNTIL_ROLLBACK}`;
    case 'stop':
      return `the container stays stopped ${KEPT_UNTIL_ROLLBACK}`;
    case 'switch-outage':
      return `the containers stay disconnected ${KEPT_UNTIL_ROLLBACK} (it holds each address and alias)`;
    case 'cpu':
      return `the CPU limit stays ${KEPT_UNTIL_ROLLBACK}`;
    default:
      return 'nothing is left to expire';
  }
}
