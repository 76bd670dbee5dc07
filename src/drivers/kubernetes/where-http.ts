// `where` for pods: an HTTP request to each candidate, the URL written as a template with
// {podIP}, {podName}, {namespace} and {node}. exec where-probes would need pods/exec (a
// WebSocket upgrade), which this driver does not implement yet.
import type { RunContext } from '../../domain/context.js';
import type { WhereSpec } from '../../domain/experiment.js';
import type { Sample, Target } from '../../domain/model.js';
import { podFacts } from './pod-target.js';

type Outcome = Omit<Sample, 'probe'>;

/** URL parsing lower-cases host names, so placeholders are matched without regard to case. */
export function expandUrl(template: string, t: Target): string {
  const p = podFacts(t);
  const values: Record<string, string> = { podip: p.podIP ?? '', podname: p.pod, namespace: p.namespace, node: p.node ?? '' };
  return template.replace(/\{(podip|podname|namespace|node)\}/gi, (_, k: string) => encodeURIComponent(values[k.toLowerCase()]!).replace(/%3A/gi, ':'));
}

export async function whereHttp(where: WhereSpec, t: Target, ctx: RunContext): Promise<Outcome> {
  const start = ctx.clock.now();
  if (!('http' in where)) {
    return { t: start, ok: false, ms: 0, error: 'the kubernetes driver supports only http where-probes (URL templates with {podIP}, {podName}, {namespace}, {node}); exec needs pods/exec, not implemented' };
  }
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
