// `where` for pods: exec a command in each candidate (pods/exec), or an HTTP request to it: to
// host "pod" through the API server's pod proxy (works from outside the cluster), or to a URL
// template with {podIP}, {podName}, {namespace} and {node} (from inside it).
import type { RunContext } from '../../domain/context.js';
import type { WhereSpec } from '../../domain/experiment.js';
import type { CheckResult, Target } from '../../domain/model.js';
import { judgeExit, type ExitExpectation } from '../../checks/exec.js';
import type { ClusterApi } from './cluster-api.js';
import { explainApiError } from './api-errors.js';
import { execInPod } from './exec-in-pod.js';
import { podProxyRequest } from './pod-proxy.js';
import { podFacts } from './pod-target.js';

/** A check's result with the time it started, epoch ms. */
type TimedCheck = CheckResult & { t: number };

/** URL parsing lower-cases host names, so placeholders are matched without regard to case. */
export function expandUrl(template: string, t: Target): string {
  const p = podFacts(t);
  const values: Record<string, string> = { podip: p.podIP ?? '', podname: p.pod, namespace: p.namespace, node: p.node ?? '' };
  return template.replace(/\{(podip|podname|namespace|node)\}/gi, (_, k: string) => encodeURIComponent(values[k.toLowerCase()]!).replace(/%3A/gi, ':'));
}

/** Runs a command in the pod and judges exit code and output; never throws. */
export async function podExecCheck(api: ClusterApi, t: Target, check: ExitExpectation, timeoutMs: number, ctx: RunContext): Promise<TimedCheck> {
  const start = ctx.clock.now();
  try {
    const r = await execInPod(api, podFacts(t), undefined, [...check.command], timeoutMs, ctx);
    return { t: start, ...judgeExit(check, r, ctx.clock.now() - start) };
  } catch (err) {
    return { t: start, ok: false, ms: ctx.clock.now() - start, error: (err as Error).message };
  }
}

/** The RBAC verb the API server checks on pods/proxy for an HTTP method. */
const PROXY_VERB: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** A URL whose host is literally "pod" goes through the API server's pod proxy. */
async function viaPodProxy(api: ClusterApi, h: Extract<WhereSpec, { http: unknown }>['http'], timeoutMs: number, t: Target, ctx: RunContext): Promise<TimedCheck> {
  const start = ctx.clock.now();
  const p = podFacts(t);
  try {
    const res = await podProxyRequest(api, p, { url: new URL(expandUrl(h.url, t)), method: h.method, headers: h.headers, body: h.body, timeoutMs });
    const ms = ctx.clock.now() - start;
    const status = statusFromProxy(res);
    if (status?.code === 403) {
      const err = explainApiError({ code: 403, body: status }, { verb: PROXY_VERB[h.method] ?? 'get', resource: 'pods/proxy', group: '', namespace: p.namespace, name: p.pod }, api.identity);
      return { t: start, ok: false, ms, error: err.message };
    }
    return judge(h, res.status, res.body, start, ms, status?.message);
  } catch (err) {
    return { t: start, ok: false, ms: ctx.clock.now() - start, error: (err as Error).message };
  }
}

/** The API server's own refusal (a Status object) as opposed to the pod's answer. */
function statusFromProxy(res: { status: number; body: string }): { code?: number; message?: string } | undefined {
  if (res.status < 400 || !res.body.startsWith('{')) return undefined;
  try {
    const s = JSON.parse(res.body) as { kind?: string; code?: number; message?: string };
    return s.kind === 'Status' ? s : undefined;
  } catch {
    return undefined;
  }
}

function judge(h: Extract<WhereSpec, { http: unknown }>['http'], status: number, body: string, start: number, ms: number, detail?: string): TimedCheck {
  const want = h.expect.status;
  const statusOk = want === undefined ? status >= 200 && status < 300 : [want].flat().includes(status);
  if (!statusOk) return { t: start, ok: false, ms, error: `HTTP ${status}${detail ? `: ${detail}` : ''}` };
  if (h.expect.body !== undefined && !new RegExp(h.expect.body).test(body)) return { t: start, ok: false, ms, error: `body does not match /${h.expect.body}/` };
  return { t: start, ok: true, ms };
}

export async function whereProbe(api: ClusterApi, where: WhereSpec, t: Target, ctx: RunContext): Promise<TimedCheck> {
  if ('exec' in where) return podExecCheck(api, t, where.exec, where.timeout, ctx);
  if (new URL(where.http.url).hostname === 'pod') return viaPodProxy(api, where.http, where.timeout, t, ctx);
  const start = ctx.clock.now();
  const h = where.http;
  if (/\{podip\}/i.test(h.url) && !podFacts(t).podIP) return { t: start, ok: false, ms: 0, error: `pod ${t.name} has no IP yet` };
  try {
    const res = await fetch(expandUrl(h.url, t), { method: h.method, ...(h.headers ? { headers: h.headers } : {}), ...(h.body !== undefined ? { body: h.body } : {}), signal: AbortSignal.timeout(where.timeout) });
    const body = await res.text();
    return judge(h, res.status, body, start, ctx.clock.now() - start);
  } catch (err) {
    return { t: start, ok: false, ms: ctx.clock.now() - start, error: (err as Error).message };
  }
}
