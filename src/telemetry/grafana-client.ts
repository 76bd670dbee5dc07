// Posting a run's annotations through Grafana's HTTP API (`POST /api/annotations`), with a service
// account token as a Bearer credential. Called once every fault is reverted and the verdicts are
// in: a failure comes back as a warning for the journal and never changes the run's outcome.
import type { GrafanaAnnotation } from '../report/grafana-annotations.js';

export interface GrafanaEndpoint {
  /** Grafana's root URL (it may be served under a path, e.g. https://example.com/grafana). */
  url: string;
  /** A service account token; read from the environment by the caller, never written anywhere. */
  token?: string;
}

/** Each request's bound: a Grafana that does not answer must not hold the CLI for long. */
export const GRAFANA_TIMEOUT_MS = 5000;

/** Posts each annotation in turn; returns a warning per failure (none when all were accepted). */
export async function postGrafanaAnnotations(to: GrafanaEndpoint, annotations: readonly GrafanaAnnotation[], timeoutMs = GRAFANA_TIMEOUT_MS): Promise<string[]> {
  const endpoint = new URL('api/annotations', to.url.endsWith('/') ? to.url : `${to.url}/`);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (to.token) headers.authorization = `Bearer ${to.token}`;
  const warnings: string[] = [];
  for (const a of annotations) {
    try {
      const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(a), signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      if (res.ok) continue;
      const hint = res.status === 401 && !to.token ? ' (no token: set FAULTLINE_GRAFANA_TOKEN)' : '';
      warnings.push(`Grafana at ${endpoint.href} refused an annotation: HTTP ${res.status} ${oneLine(body)}${hint}`);
      // A bad token or a missing permission will refuse the next ones just the same.
      if (res.status === 401 || res.status === 403) break;
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      warnings.push(`could not annotate Grafana at ${endpoint.href}: ${e instanceof Error ? e.message : String(e)}${cause}`);
      break;
    }
  }
  return warnings;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
