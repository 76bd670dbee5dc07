// Prometheus's HTTP API: GET /api/v1/alerts lists its alerts (state "firing" once `for` has passed;
// "pending" before, which detects nothing yet); GET /api/v1/rules?type=alert names the alerting
// rules it has loaded, so `plan` can say when an objective waits for an alert no rule can raise.
import type { AlertSource, ObservedAlert } from '../domain/alerts.js';
import { apiUrl, readJson } from './read-json.js';

interface ApiAnswer<T> {
  status?: string;
  data?: T;
  error?: string;
}

export class PrometheusSource implements AlertSource {
  readonly kind = 'prometheus' as const;
  constructor(readonly url: string, private readonly timeoutMs: number) {}

  async firing(signal: AbortSignal): Promise<ObservedAlert[]> {
    const data = await this.data<{ alerts?: { labels?: Record<string, string>; state?: string; activeAt?: string }[] }>('api/v1/alerts', signal);
    return (data.alerts ?? []).filter((a) => a.state === 'firing').map((a) => ({ labels: a.labels ?? {}, since: timeOf(a.activeAt) }));
  }

  async ruleNames(signal: AbortSignal): Promise<string[]> {
    const data = await this.data<{ groups?: { rules?: { name?: string; type?: string }[] }[] }>('api/v1/rules?type=alert', signal);
    const names = (data.groups ?? []).flatMap((g) => (g.rules ?? []).filter((r) => r.type === 'alerting' && r.name).map((r) => r.name!));
    return [...new Set(names)].sort();
  }

  private async data<T>(path: string, signal: AbortSignal): Promise<T> {
    const endpoint = apiUrl(this.url, path);
    const body = (await readJson(endpoint, this.timeoutMs, signal)) as ApiAnswer<T> | null;
    if (body?.status !== 'success' || typeof body.data !== 'object' || body.data === null) {
      throw new Error(`GET ${endpoint} did not answer a Prometheus API success${body?.error ? `: ${body.error}` : ' (is this a Prometheus?)'}`);
    }
    return body.data;
  }
}

function timeOf(text: string | undefined): number | null {
  const t = text ? Date.parse(text) : NaN;
  return Number.isFinite(t) ? t : null;
}
