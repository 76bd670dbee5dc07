// What "nothing remains" means for a Docker run, checked from outside like an operator would:
// holder or helper containers of the run, a target paused or stopped, a member missing from its
// network or back with another address, a CPU limit, an FL- chain or jump, a faultline qdisc.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';

const run = promisify(execFile);

export interface Watched {
  /** Containers that must be running, unpaused, unlimited, without FL- rules or f1a0: qdiscs. */
  containers: { id: string; name: string }[];
  /** Network memberships that must be in place, with these addresses. */
  attachments: { container: string; name: string; network: string; ip: string }[];
}

export async function dockerLeftovers(docker: Dockerode, runIds: readonly string[], w: Watched): Promise<string[]> {
  const found: string[] = [];
  for (const runId of runIds) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${runId}`] } })) {
      found.push(`${c.Labels?.['faultline.holder'] ? 'holder' : 'helper'} container ${c.Names[0]?.slice(1)} (${c.State}) of run ${runId}`);
    }
  }
  for (const c of w.containers) {
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await docker.getContainer(c.id).inspect();
    } catch {
      found.push(`${c.name} no longer exists`);
      continue;
    }
    if (info.State.Paused) found.push(`${c.name} is paused`);
    else if (!info.State.Running) found.push(`${c.name} is ${info.State.Status}`);
    const hc = info.HostConfig;
    if ((hc.CpuQuota ?? 0) > 0 || (hc.NanoCpus ?? 0) > 0) found.push(`${c.name} still has a CPU limit (quota ${hc.CpuQuota}, nanoCpus ${hc.NanoCpus})`);
    if (info.State.Running && info.State.Pid > 0) {
      const save = await run('nsenter', ['-t', String(info.State.Pid), '-n', 'iptables-save']).then((r) => r.stdout, (e: Error) => `error ${e.message}`);
      for (const m of save.matchAll(/^(:FL-\S+|-A \S+ .*-j FL-\S+)/gm)) found.push(`${c.name}: ${m[1]}`);
      const tc = await run('nsenter', ['-t', String(info.State.Pid), '-n', 'tc', 'qdisc', 'show']).then((r) => r.stdout, (e: Error) => `error ${e.message}`);
      for (const line of tc.split('\n')) if (/f1a[01]:/.test(line)) found.push(`${c.name}: qdisc ${line.trim()}`);
    }
  }
  for (const a of w.attachments) {
    const info = await docker.getContainer(a.container).inspect().catch(() => undefined);
    const s = info?.NetworkSettings.Networks[a.network];
    if (!s) found.push(`${a.name} is not attached to ${a.network}`);
    else if (s.IPAddress !== a.ip) found.push(`${a.name} is on ${a.network} as ${s.IPAddress} instead of ${a.ip}`);
  }
  return found;
}
