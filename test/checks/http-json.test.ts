// The http probe's `expect.json`: the JSONPath subset, and the check against a real local server
// (on both connection modes, which share the judgement).
import http from 'node:http';
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { httpCheck, httpChecker } from '../../src/checks/http.js';
import { Experiment, type ProbeParams } from '../../src/domain/experiment.js';
import { parseJsonPath, selectJsonPath } from '../../src/domain/json-path.js';

describe('the JSONPath subset', () => {
  it('reads $, .name, [\'name\'], ["name"] and [index], and selects at most one value', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath(`$.replicas[1]['up-to-date']["a.b"]`)).toEqual([{ key: 'replicas' }, { index: 1 }, { key: 'up-to-date' }, { key: 'a.b' }]);
    const doc = { replicas: [{ state: 'ok' }, { 'up-to-date': { 'a.b': false } }], n: null };
    expect(selectJsonPath(doc, parseJsonPath(`$.replicas[1]['up-to-date']["a.b"]`) as never)).toEqual([false]);
    expect(selectJsonPath(doc, parseJsonPath('$.n') as never)).toEqual([null]);
    expect(selectJsonPath(doc, parseJsonPath('$.replicas[2].state') as never)).toEqual([]);
    expect(selectJsonPath(doc, parseJsonPath('$.replicas.length') as never)).toEqual([]);
    expect(selectJsonPath(doc, parseJsonPath('$.toString') as never)).toEqual([]);
  });

  it('refuses what is outside it, saying where and what the subset is', () => {
    expect(parseJsonPath('$.items[*].name')).toEqual({ error: `"[*].name" at character 8: faultline reads a subset of JSONPath: $ followed by .name, ['name'] or [index] (no wildcards, slices, filters or ..)` });
    expect(parseJsonPath('$..name')).toMatchObject({ error: expect.stringMatching(/^"\.\.name" at character 2/) });
    expect(parseJsonPath('$[?(@.a)]')).toMatchObject({ error: expect.stringContaining('no wildcards, slices, filters') });
    expect(parseJsonPath('status')).toMatchObject({ error: expect.stringMatching(/^a JSON path starts with \$/) });
  });

  it('is checked by the schema', () => {
    const parse = (json: unknown) =>
      Experiment.safeParse({ apiVersion: 'faultline/v1', kind: 'Experiment', metadata: { name: 'j' }, spec: { driver: 'process', probes: { p: { http: { url: 'http://127.0.0.1:1/', expect: { json } } } }, faults: [{ command: { run: ['true'] } }] } });
    expect(parse({ path: '$.status', equals: 'ok' }).success).toBe(true);
    const bad = parse({ path: '$.items[*]' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['spec', 'probes', 'p', 'http', 'expect', 'json', 'path'], message: expect.stringContaining('subset of JSONPath') });
  });
});

describe('http probe expect.json against a real server', () => {
  it('passes on the value, and fails saying what was found: another value, nothing, not JSON', async () => {
    let body = JSON.stringify({ status: 'ok', replicas: [{ lag: 0 }, { lag: 3 }] });
    const server = http.createServer((_q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/health`;
    const check = (json: NonNullable<ProbeParams<'http'>['expect']['json']>) => httpCheck({ url, method: 'GET', expect: { json } }, 1000);
    try {
      expect(await check({ path: '$.status', equals: 'ok' })).toMatchObject({ ok: true });
      expect(await check({ path: '$.replicas[1]' })).toMatchObject({ ok: true });
      expect(await check({ path: '$.replicas[0]', equals: { lag: 0 } })).toMatchObject({ ok: true });
      expect(await check({ path: '$.error', count: 0 })).toMatchObject({ ok: true });
      expect(await check({ path: '$.replicas[1].lag', equals: 0 })).toMatchObject({ ok: false, error: '$.replicas[1].lag is 3, 0 expected' });
      expect(await check({ path: '$.replicas[2]' })).toMatchObject({ ok: false, error: '$.replicas[2] selects nothing' });
      expect(await check({ path: '$.status', count: 0 })).toMatchObject({ ok: false, error: '$.status selects 1 value(s), 0 expected: "ok"' });
      body = 'OK';
      expect(await check({ path: '$.status' })).toMatchObject({ ok: false, error: 'body is not JSON: "OK"' });

      // The keep-alive checker judges the same way.
      body = JSON.stringify({ status: 'degraded' });
      const keepAlive = httpChecker({ url, method: 'GET', expect: { json: { path: '$.status', equals: 'ok' } }, connection: 'keep-alive' }, 1000);
      expect(await keepAlive.check()).toMatchObject({ ok: false, error: '$.status is "degraded", "ok" expected' });
      await keepAlive.close?.();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
