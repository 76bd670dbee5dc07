// `where` for pods: exec a command in each candidate (pods/exec), or an HTTP request to it with
// the URL written as a template with {podIP}, {podName}, {namespace} and {node}.
import type { RunContext } from '../../domain/context.js';
import type { WhereSpec } from '../../domain/experiment.js';
import type { Sample, Target } from '../../domain/model.js';
import type { ClusterApi } from './cluster-api.js';
import { execInPod } from './exec-in-pod.js';
import { podFacts } from './pod-target.js';

type Outcome = Omit<Sample, 'probe'>;

/** URL parsing lower-cases host names, so placeholders are matched without regard to case. */
export function expandUrl(template: string, t: Target): string {
  const p = podFacts(t);
  const values: Record<string, string> = { podip: p.podIP ?? '', podname: p.pod, namespace: p.namespace, node: p.node ?? '' };
  return template.replace(/\{(podip|podname|namespace|node)\}/gi, (_, k: string) => encodeURIComponent(values[k.toLowerCase()]!).replace(/%3A/gi, ':'));
}

export interface ExecCheck {
  command: string[];
  exitCode: number;
  stdout?: string | undefined;
}

/** Runs a command in the pod and judges exit code and output; never throws. */
export async function execCheck(api: ClusterApi, t: Target, check: ExecCheck, timeoutMs: number, ctx: RunContext): Promise<Outcome> {
  const start = ctx.clock.now();
  try {
    const r = await execInPod(api, podFacts(t), undefined, check.command, timeoutMs, ctx);
    const ms = ctx.clock.now() - start;
    if (r.exitCode !== check.exitCode) return { t: start, ok: false, ms, error: `${check.command.join(' ')} exited ${r.exitCode}, expected ${check.exitCode}${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}` };
    if (check.stdout !== undefined && !new RegExp(check.stdout, 'm').test(r.stdout)) return { t: start, ok: false, ms, error: `output ${JSON.stringify(r.stdout.trim().slice(0, 120))} does not match /${check.stdout}/` };
    return { t: start, ok: true, ms };
  } catch (err) {
    return { t: start, ok: false, ms: ctx.clock.now() - start, error: (err as Error).message };
  }
}

export async function whereProbe(api: ClusterApi, where: WhereSpec, t: Target, ctx: RunContext): Promise<Outcome> {
  if ('exec' in where) return execCheck(api, t, where.exec, where.timeout, ctx);
  const start = ctx.clock.now();
  const h = where.http;
  if (/\{podip\}/i.test(h.url) && !podFacts(t).podIP) return { t: start, ok: false, ms: 0, error: `pod ${t.name} has no IP yet` };
  try {
    const res = await fetch(expandUrl(h.url, t), { method: h.method, ...(h.headers ? { headers: h.headers } : {}), ...(h.body !== undefined ? { body: h.body } : {}), signal: AbortSignal.timeout(where.timeout) });
    const body = await res.text();
    const ms = ctx.clock.now() - start;
    const want = h.expect.status;
    const statusOk = want === undefined ? res.status >= 200 && res.status < 300 : [want].flat().includes(res.status);
    if (!statusOk) return { t: start, ok: false, ms, error: `HTTP ${res.status}` };
    if (h.expect.body !== undefined && !new RegExp(h.expect.body).test(body)) return { t: start, ok: false, ms, error: `body does not match /${h.expect.body}/` };
    return { t: start, ok: true, ms };
  } catch (err) {
    return { t: start, ok: false, ms: ctx.clock.now() - start, error: (err as Error).message };
  }
}
