// `where` conditions and driver-owned probes: exec inside a container, http to a candidate's address,
// and the container's own HEALTHCHECK status. A failed check is a sample with ok=false, never a throw.
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { WhereSpec } from '../../domain/experiment.js';
import type { Sample, Target } from '../../domain/model.js';
import { isNotFound } from './errors.js';
import { execIn } from './exec.js';
import { recordedAddresses } from './facts.js';

type Outcome = Omit<Sample, 'probe'>;

export async function execCheck(
  docker: Dockerode,
  containerId: string,
  spec: { command: string[]; exitCode: number; stdout?: string | undefined },
  timeoutMs: number,
  ctx: RunContext,
): Promise<Outcome> {
  const t = ctx.clock.now();
  try {
    const r = await execIn(docker, containerId, spec.command, timeoutMs);
    const ms = ctx.clock.now() - t;
    if (r.code !== spec.exitCode) return { t, ok: false, ms, error: `${spec.command.join(' ')} exited ${r.code}, expected ${spec.exitCode}${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}` };
    if (spec.stdout !== undefined && !new RegExp(spec.stdout, 'm').test(r.stdout)) {
      return { t, ok: false, ms, error: `output ${JSON.stringify(r.stdout.trim().slice(0, 120))} does not match /${spec.stdout}/` };
    }
    return { t, ok: true, ms };
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

async function httpCheck(spec: Extract<WhereSpec, { http: unknown }>, target: Target, ctx: RunContext): Promise<Outcome> {
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

export function whereCheck(docker: Dockerode, where: WhereSpec, target: Target, ctx: RunContext): Promise<Outcome> {
  if ('exec' in where) return execCheck(docker, target.id, where.exec, where.timeout, ctx);
  return httpCheck(where, target, ctx);
}

export async function healthCheck(docker: Dockerode, container: string, ctx: RunContext): Promise<Outcome> {
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
