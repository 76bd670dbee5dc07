// Opt-in: the annotations against a real Grafana (not packaged here). Set FAULTLINE_E2E_GRAFANA to
// its URL and FAULTLINE_GRAFANA_TOKEN to a service account token that may write annotations. The
// annotations are read back through the same API, then deleted.
import { describe, expect, it } from 'vitest';
import { grafanaAnnotations } from '../../src/report/grafana-annotations.js';
import { postGrafanaAnnotations } from '../../src/telemetry/grafana-client.js';
import { T0, journalFixture } from '../fixtures/journal.js';

const url = process.env.FAULTLINE_E2E_GRAFANA;
const token = process.env.FAULTLINE_GRAFANA_TOKEN;

describe('Grafana annotations against a real Grafana', () => {
  it.skipIf(!url)('are stored as posted (skipped: set FAULTLINE_E2E_GRAFANA=<Grafana URL> and FAULTLINE_GRAFANA_TOKEN to run it)', async () => {
    const runId = `r-e2e-${process.pid}-${Math.floor(performance.now())}`;
    const posted = grafanaAnnotations(journalFixture({ runId }));
    expect(await postGrafanaAnnotations({ url: url!, ...(token ? { token } : {}) }, posted)).toEqual([]);
    const headers = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const base = url!.replace(/\/+$/, '');
    const found = (await (await fetch(`${base}/api/annotations?tags=run:${runId}&from=${T0 - 1000}&to=${T0 + 60_000}&limit=100`, { headers })).json()) as { id: number; time: number; timeEnd: number; tags: string[]; text: string }[];
    try {
      const stored = found.map((a) => ({ time: a.time, timeEnd: a.timeEnd, tags: [...a.tags].sort(), text: a.text })).sort((a, b) => a.time - b.time || a.text.localeCompare(b.text));
      const expected = posted.map((a) => ({ time: a.time, timeEnd: a.timeEnd ?? a.time, tags: [...a.tags].sort(), text: a.text })).sort((a, b) => a.time - b.time || a.text.localeCompare(b.text));
      expect(stored).toEqual(expected);
    } finally {
      for (const a of found) await fetch(`${base}/api/annotations/${a.id}`, { method: 'DELETE', headers });
    }
  });
});
