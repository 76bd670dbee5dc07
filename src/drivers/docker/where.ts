// `where` conditions and driver-owned probes: exec inside a container, http to a candidate's address,
// and the container's own HEALTHCHECK status. A failed check is a sample with ok=false, never a throw.
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { WhereSpec } from '../../domain/experiment.js';
import type { CheckResult, Target } from '../../domain/model.js';
import { judgeExit, type ExitExpectation } from '../../checks/exec.js';
import { isNotFound } from './errors.js';
import { execIn } from './exec.js';
import { recordedAddresses } from './facts.js';

/** A check's result with the time it started, epoch ms. */
type TimedCheck = CheckResult & { t: number };

/** Runs a command inside the container and judges exit code and output; never throws. */
export async function containerExecCheck(docker: Dockerode, containerId: string, spec: ExitExpectation, timeoutMs: number, ctx: RunContext): Promise<TimedCheck> {
  const t = ctx.clock.now();
  try {
    const r = await execIn(docker, containerId, spec.command, timeoutMs);
    return { t, ...judgeExit(spec, r, ctx.clock.now() - t) };
  } catch (err) {
    const why = isNotFound(err) ? 'container is gone' : (err as Error).message;
    return { t, ok: false, ms: ctx.clock.now() - t, error: why };
  }
}

/** http where: a URL whose host is literally "target" is sent to the candidate's first address. */
export function urlFor(url: string, target: Target): string {
  const u = new URL(url);
  if (u.hostname !== 'target') return url;
  const ip = Object.values(recordedAddresses(target))[0];
  if (ip) u.hostname = ip;
  return u.toString();
}

async function httpCheck(spec: Extract<WhereSpec, { http: unknown }>, target: Target, ctx: RunContext): Promise<TimedCheck> {
  const h = spec.http;
  const t = ctx.clock.now();
  try {
    const res = await fetch(urlFor(h.url, target), { method: h.method, headers: h.headers, body: h.body, signal: AbortSignal.timeout(spec.timeout) });
    const body = await res.text();
    const ms = ctx.clock.now() - t;
    const want = h.expect.status;
    const statusOk = want === undefined ? res.status >= 200 && res.status < 300 : Array.isArray(want) ? want.includes(res.status) : want === res.status;
    if (!statusOk) return { t, ok: false, ms, error: `HTTP ${res.status}` };
    if (h.expect.body !== undefined && !new RegExp(h.expect.body).test(body)) return { t, ok: false, ms, error: `body does not match /${h.expect.body}/` };
    return { t, ok: true, ms };
  } catch (err) {
    return { t, ok: false, ms: ctx.clock.now() - t, error: (err as Error).message };
  }
}

export function whereCheck(docker: Dockerode, where: WhereSpec, target: Target, ctx: RunContext): Promise<TimedCheck> {
  if ('exec' in where) return containerExecCheck(docker, target.id, where.exec, where.timeout, ctx);
  return httpCheck(where, target, ctx);
}

export async function healthCheck(docker: Dockerode, container: string, ctx: RunContext): Promise<TimedCheck> {
  const t = ctx.clock.now();
  try {
    const info = await docker.getContainer(container).inspect();
    const ms = ctx.clock.now() - t;
    const health = info.State.Health?.Status;
    if (!info.State.Running) return { t, ok: false, ms, error: `container ${container} is ${info.State.Status}` };
    if (health === undefined) return { t, ok: false, ms, error: `container ${container} has no HEALTHCHECK` };
    return health === 'healthy' ? { t, ok: true, ms } : { t, ok: false, ms, error: `container ${container} is ${health}` };
  } catch (err) {
    return { t, ok: false, ms: ctx.clock.now() - t, error: isNotFound(err) ? `container ${container} does not exist` : (err as Error).message };
  }
}
