// Grafana annotations at the wire level: the bodies built from a journal, and the client posting
// them to a server that checks the shapes Grafana documents.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { grafanaAnnotations } from '../../src/report/grafana-annotations.js';
import { postGrafanaAnnotations } from '../../src/telemetry/grafana-client.js';
import { T0, journalFixture } from '../fixtures/journal.js';
import { startFakeGrafana, type FakeGrafana } from '../support/fake-grafana.js';

const TOKEN = 'glsa_test_token';
let grafana: FakeGrafana | undefined;
afterEach(async () => {
  await grafana?.close();
  grafana = undefined;
});

describe('Grafana annotations of a run', () => {
  it('makes a point for an instant fault, a region for a held one, and a region for the run with its verdicts', () => {
    const [kill, latency, run, ...rest] = grafanaAnnotations(journalFixture());
    expect(rest).toEqual([]);
    const runTags = ['faultline', 'experiment:checkout-failover', 'run:r-20231114-abc123'];
    expect(kill).toEqual({ time: T0 + 10_000, tags: [...runTags, 'fault:kill-primary', 'kind:kill'], text: expect.stringContaining('kill "kill-primary" on primary') });
    expect(latency).toEqual({ time: T0 + 15_000, timeEnd: T0 + 25_000, tags: [...runTags, 'fault:slow-replica', 'kind:latency'], text: expect.stringContaining('latency "slow-replica" on replica, reverted') });
    expect(run).toMatchObject({ time: T0, timeEnd: T0 + 42_500, tags: [...runTags, 'outcome:failed'] });
    expect(run!.text).toContain('failed (1 of 3 objectives missed)');
    expect(run!.text).toContain('FAIL reads p99 latency <= 300ms: 412ms (<= 300ms)');
    expect(run!.text).toContain('PASS writes recovers within 10s: 1.42s (<= 10s)');
  });

  it('shows a fault that was never reverted up to the end of the run, and skips one never injected', () => {
    const j = journalFixture({
      unclean: true,
      faults: [
        { name: 'kill-primary', kind: 'kill', injectedAt: null, revertedAt: null, instant: true },
        { name: 'slow-replica', kind: 'latency', injectedAt: T0 + 15_000, revertedAt: null, instant: false },
      ],
    });
    const [latency, run] = grafanaAnnotations(j);
    expect(latency).toMatchObject({ time: T0 + 15_000, timeEnd: T0 + 42_500 });
    expect(latency!.text).toContain('NOT reverted');
    expect(run!.text).toContain('the run was not cleaned up');
  });
});

describe('posting annotations to Grafana', () => {
  it('posts every annotation with the Bearer token, in the documented shape', async () => {
    grafana = await startFakeGrafana({ token: TOKEN });
    const annotations = grafanaAnnotations(journalFixture());
    expect(await postGrafanaAnnotations({ url: grafana.url, token: TOKEN }, annotations)).toEqual([]);
    expect(grafana.problems).toEqual([]);
    expect(grafana.annotations).toEqual(annotations);
  });

  it('keeps a path Grafana is served under', async () => {
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      req.resume().on('end', () => res.end('{"id":1}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await postGrafanaAnnotations({ url: `http://127.0.0.1:${port}/grafana` }, grafanaAnnotations(journalFixture()).slice(0, 1))).toEqual([]);
      expect(paths).toEqual(['/grafana/api/annotations']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('returns a warning, once, when the token is refused', async () => {
    grafana = await startFakeGrafana({ token: TOKEN });
    const warnings = await postGrafanaAnnotations({ url: grafana.url, token: 'wrong' }, grafanaAnnotations(journalFixture()));
    expect(warnings).toEqual([`Grafana at ${grafana.url}/api/annotations refused an annotation: HTTP 401 {"message":"Unauthorized"}`]);
    expect(grafana.annotations).toEqual([]);
  });

  it('says which variable holds the token when none was given', async () => {
    grafana = await startFakeGrafana({ token: TOKEN });
    const warnings = await postGrafanaAnnotations({ url: grafana.url }, grafanaAnnotations(journalFixture()));
    expect(warnings).toEqual([`Grafana at ${grafana.url}/api/annotations refused an annotation: HTTP 401 {"message":"Unauthorized"} (no token: set FAULTLINE_GRAFANA_TOKEN)`]);
  });

  it('returns a warning per annotation Grafana fails to save', async () => {
    grafana = await startFakeGrafana({ token: TOKEN, status: 500 });
    const warnings = await postGrafanaAnnotations({ url: grafana.url, token: TOKEN }, grafanaAnnotations(journalFixture()));
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('HTTP 500 {"message":"Failed to save annotation"}');
  });

  it('returns a warning naming the address when Grafana is not there', async () => {
    grafana = await startFakeGrafana({ token: TOKEN });
    const url = grafana.url;
    await grafana.close();
    grafana = undefined;
    const warnings = await postGrafanaAnnotations({ url, token: TOKEN }, grafanaAnnotations(journalFixture()));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^could not annotate Grafana at ${url}/api/annotations: fetch failed: .*ECONNREFUSED`));
  });

  it('gives up on a Grafana that does not answer within the bound', async () => {
    const server = http.createServer(() => {
      // Never answers.
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const warnings = await postGrafanaAnnotations({ url: `http://127.0.0.1:${port}` }, grafanaAnnotations(journalFixture()), 200);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/could not annotate Grafana at .*: .*(timeout|aborted)/i);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
