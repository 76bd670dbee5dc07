// CPU limits through the engine's update call. Docker refuses to mix NanoCpus with CpuQuota/CpuPeriod
// and ignores a zero value, so the limit is applied in whichever form the container already uses,
// and an unlimited container gets "unlimited" (quota -1) back rather than a zero that would be ignored.
import type Dockerode from 'dockerode';
import type { JsonValue } from '../../domain/model.js';
import type { RevertResult } from '../driver.js';
import { engineMessage, isNotFound } from './errors.js';

const PERIOD = 100_000;

export interface CpuUndo {
  mechanism: 'cpu';
  container: string;
  nanoCpus: number;
  cpuQuota: number;
  cpuPeriod: number;
  /** Holder containers that restore the limits at expiry if faultline cannot. */
  holders?: string[];
}

/**
 * `hold`, when given, arms what restores the original limits at expiry; it runs after they are
 * read and before they are changed, and a failed update takes it down again (`unhold`, else the
 * holder container is removed).
 */
export async function limitCpu(docker: Dockerode, id: string, name: string, cpus: number, hold?: (undo: CpuUndo) => Promise<string | undefined>, unhold?: (holder: string) => Promise<void>): Promise<CpuUndo> {
  const c = docker.getContainer(id);
  let hc: Dockerode.HostConfig;
  try {
    hc = (await c.inspect()).HostConfig;
  } catch (err) {
    if (isNotFound(err)) throw new Error(`cannot limit the CPU of ${name}: the container no longer exists (it disappeared after selection)`);
    throw err;
  }
  const undo: CpuUndo = { mechanism: 'cpu', container: id, nanoCpus: hc.NanoCpus ?? 0, cpuQuota: hc.CpuQuota ?? 0, cpuPeriod: hc.CpuPeriod ?? 0 };
  const holder = await hold?.({ ...undo });
  try {
    if (undo.nanoCpus > 0) await c.update({ NanoCpus: Math.round(cpus * 1e9) });
    else {
      const period = undo.cpuPeriod > 0 ? undo.cpuPeriod : PERIOD;
      await c.update({ CpuPeriod: period, CpuQuota: Math.max(1000, Math.round(cpus * period)) });
    }
  } catch (err) {
    if (holder) await (unhold ? unhold(holder) : docker.getContainer(holder).remove({ force: true })).catch(() => undefined);
    throw new Error(`cannot limit the CPU of ${name}: ${engineMessage(err)}`);
  }
  if (holder) undo.holders = [holder];
  return undo;
}

export async function restoreCpu(docker: Dockerode, undo: CpuUndo): Promise<RevertResult> {
  const c = docker.getContainer(undo.container);
  try {
    if (undo.nanoCpus > 0) await c.update({ NanoCpus: undo.nanoCpus });
    else await c.update({ CpuPeriod: undo.cpuPeriod > 0 ? undo.cpuPeriod : PERIOD, CpuQuota: undo.cpuQuota > 0 ? undo.cpuQuota : -1 });
    return {};
  } catch (err) {
    if (isNotFound(err)) return { vanished: true };
    throw new Error(`cannot restore the CPU limit of ${undo.container.slice(0, 12)}: ${engineMessage(err)}`);
  }
}

export function isCpuUndo(u: JsonValue): u is CpuUndo & JsonValue {
  return typeof u === 'object' && u !== null && !Array.isArray(u) && u.mechanism === 'cpu';
}
