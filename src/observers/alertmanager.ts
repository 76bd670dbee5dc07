// Alertmanager's v2 API: GET /api/v2/alerts lists the alerts it holds; one counts as firing while
// its status.state is "active" (not silenced, not inhibited) and its endsAt has not passed.
import type { AlertSource, ObservedAlert } from '../domain/alerts.js';
import { apiUrl, readJson } from './read-json.js';

interface V2Alert {
  labels?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  status?: { state?: string };
}

export class AlertmanagerSource implements AlertSource {
  readonly kind = 'alertmanager' as const;
  constructor(readonly url: string, private readonly timeoutMs: number, private readonly now: () => number) {}

  async firing(signal: AbortSignal): Promise<ObservedAlert[]> {
    const endpoint = apiUrl(this.url, 'api/v2/alerts');
    const body = await readJson(endpoint, this.timeoutMs, signal);
    if (!Array.isArray(body)) throw new Error(`GET ${endpoint} did not answer a list of alerts (is this an Alertmanager?)`);
    const now = this.now();
    return (body as V2Alert[])
      .filter((a) => a.status?.state === 'active' && !(a.endsAt && Date.parse(a.endsAt) <= now))
      .map((a) => ({ labels: a.labels ?? {}, since: timeOf(a.startsAt) }));
  }
}

function timeOf(text: string | undefined): number | null {
  const t = text ? Date.parse(text) : NaN;
  return Number.isFinite(t) ? t : null;
}
