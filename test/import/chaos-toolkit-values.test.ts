// Chaos Toolkit tolerances, configuration and secrets as the import maps them (pure: text in,
// drafts out). A secret's value is never written; what has no equivalent is said, not guessed.
import { describe, expect, it } from 'vitest';
import { importText, renderDraft } from '../../src/import/index.js';
import { httpExpectation, processExpectation } from '../../src/import/chaos-toolkit-tolerance.js';

const experiment = (extra: object) =>
  JSON.stringify({
    title: 'inline',
    configuration: { api: { type: 'env', key: 'API_URL', default: 'http://127.0.0.1:8080/' }, region: 'eu' },
    secrets: { auth: { token: 's3cr3t-value' }, db: { password: { type: 'env', key: 'DB_PASSWORD' } } },
    method: [{ type: 'action', name: 'touch', provider: { type: 'process', path: 'touch', arguments: ['${region}.flag'] } }],
    ...extra,
  }, null, 2);

describe('Chaos Toolkit values', () => {
  it('maps tolerances faultline can check and says why for the others', () => {
    expect(httpExpectation({ type: 'range', range: [200, 204] })).toMatchObject({ ok: true, set: { status: [200, 201, 202, 203, 204] } });
    expect(httpExpectation({ type: 'regex', pattern: '^ok' })).toMatchObject({ ok: true, set: { body: '^ok' } });
    expect(httpExpectation({ type: 'jsonpath', target: 'body', path: '$.error', count: 0 })).toMatchObject({ ok: true, set: { json: { path: '$.error', count: 0 } } });
    expect(httpExpectation({ type: 'jsonpath', path: '$.body.replicas[0].state', expect: 'ok' })).toMatchObject({ ok: true, set: { json: { path: '$.replicas[0].state', equals: 'ok' } } });
    expect(httpExpectation({ type: 'jsonpath', target: 'body', path: '$.up', expect: [true] })).toMatchObject({ ok: true, set: { json: { path: '$.up', equals: true } } });
    expect(httpExpectation({ type: 'jsonpath', target: 'body', path: '$.gone', expect: [] })).toMatchObject({ ok: true, set: { json: { path: '$.gone', count: 0 } } });
    expect(httpExpectation({ type: 'jsonpath', path: '$.error', count: 0 })).toMatchObject({ ok: false, reason: expect.stringContaining("reads Chaos Toolkit's whole HTTP result, not the body") });
    expect(httpExpectation({ type: 'jsonpath', target: 'body', path: '$.items[*].ok' })).toMatchObject({ ok: false, reason: expect.stringContaining('subset of JSONPath') });
    expect(httpExpectation({ type: 'jsonpath', target: 'body', path: '$.a', expect: [1, 2] })).toMatchObject({ ok: false, reason: expect.stringContaining('at most one value') });
    expect(httpExpectation(true)).toMatchObject({ ok: false, reason: expect.stringContaining('whole HTTP result') });
    expect(processExpectation({ type: 'regex', pattern: 'ready', target: 'stdout' })).toMatchObject({ ok: true, set: { stdout: 'ready' } });
    expect(processExpectation({ type: 'range', range: [0, 2] })).toMatchObject({ ok: false, reason: expect.stringContaining('one exit code') });
    expect(processExpectation({ type: 'regex', pattern: '(?i)ready' })).toMatchObject({ ok: false, reason: expect.stringContaining('not a regular expression JavaScript reads') });
  });

  it('keeps secrets out of the file: references where faultline reads the environment, a gap elsewhere', () => {
    const text = experiment({
      'steady-state-hypothesis': {
        title: 'up',
        probes: [
          { type: 'probe', name: 'api', tolerance: 200, provider: { type: 'http', url: '${api}health', headers: { Authorization: 'Bearer ${token}' } } },
          { type: 'probe', name: 'db', tolerance: 0, provider: { type: 'process', path: 'pg_isready', arguments: ['--password', '${password}'] } },
          { type: 'probe', name: 'leak', tolerance: 200, provider: { type: 'http', url: 'http://127.0.0.1/${token}' } },
        ],
      },
    });
    const [c] = importText(text, 'inline.json', {});
    const written = renderDraft(c!.drafts[0]!);
    expect(written).not.toContain('s3cr3t-value');
    expect(written).toContain('Bearer ${env:AUTH_TOKEN}');
    expect(written).toMatch(/command: \[ pg_isready, --password, "\$\{env:DB_PASSWORD\}" \]/);
    // ${api} is a URL: resolved now, from its default (API_URL is not set).
    expect(written).toContain('url: http://127.0.0.1:8080/health');
    expect(written).toContain('eu.flag');
    expect(c!.notes.map((n) => n.text)).toContain('secret token is written as ${env:AUTH_TOKEN} (its value is not written): set AUTH_TOKEN when faultline runs');
    expect(c!.gaps.map((g) => `${g.line}: ${g.text}`)).toContain(`${text.split('\n').findIndex((l) => l.includes('http://127.0.0.1/${token}')) + 1}: "\${token}" is a secret, and it is used where faultline cannot read the environment when it runs (it is never written in clear)`);
  });

  it('refuses a file without a method, located', () => {
    expect(() => importText('{"title": "t", "steady-state-hypothesis": {"title": "x", "probes": []}}', 'nomethod.json')).toThrow(/nomethod.json:1:1: method: a Chaos Toolkit experiment needs a method/);
  });
});
