// The live console's HTTP surface with plain requests: who may watch, who may act, from where.
// A real server on an ephemeral loopback port, fed by a real JournalRecorder.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { JournalRecorder } from '../../src/journal/recorder.js';
import { parseListen, startConsole, type Console, type LogbookEntry } from '../../src/cli/console-server.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Reads an SSE stream until `until` matches what arrived, or fails at the deadline. */
function readStream(url: string, until: RegExp, headers: Record<string, string> = {}, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const req = http.get(url, { headers }, (res) => {
      res.on('data', (c: Buffer) => {
        text += c.toString();
        if (until.test(text)) {
          clearTimeout(timer);
          req.destroy();
          resolve(text);
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`stream did not show ${until} within ${ms}ms; got:\n${text}`));
    }, ms);
    req.on('error', (e) => {
      if (!until.test(text)) reject(e);
    });
  });
}

let opened: Console | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

async function setup() {
  let t = 1_000;
  const rec = new JournalRecorder({ runId: 'r1', faultlineVersion: 'test', experiment: { name: 'sec', spec: null }, seed: '1', driver: 'process', startedAt: 1_000 }, () => t++);
  const entries: LogbookEntry[] = [];
  let halts = 0;
  const c = await startConsole({
    plan: { experiment: 'sec', runId: 'r1', driver: 'process', startedAt: 1_000, faults: [{ name: 'pause-1', for: 5_000 }], objectives: [{ availability: { probe: 'writes', atLeast: 99 } }] },
    halt: async () => {
      halts++;
    },
    logbook: (e) => {
      entries.push(e);
      const { type, ...fields } = e;
      rec.record(type, fields as never);
    },
  });
  opened = c;
  rec.listen(c.listener);
  const origin = c.url.replace(/\/$/, '');
  const control = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, origin, ...headers }, body: JSON.stringify(body) });
  return { c, rec, entries, origin, control, halts: () => halts };
}

describe('live console security (plain HTTP)', () => {
  it('binds the loopback interface by default, on a free port', async () => {
    const { c } = await setup();
    expect(c.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(c.facilitatorUrl).toBe(`${c.url}#token=${c.token}`);
    expect(c.token.length).toBeGreaterThanOrEqual(32);
    // A page of another site resolved to 127.0.0.1 (DNS rebinding) gets nothing, not even the stream.
    const rebound = await request(`${c.url}events`, { headers: { host: `evil.example:${new URL(c.url).port}` } });
    expect(rebound.status).toBe(403);
    expect((await request(c.url, { headers: { host: `localhost:${new URL(c.url).port}` } })).status).toBe(200);
  });

  it('serves the page to anyone, with a policy that allows no inline or foreign script', async () => {
    const { origin } = await setup();
    const page = await request(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<label for="note">Note</label>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await request(`${origin}/console.js`)).status).toBe(200);
  });

  it('refuses every control and logbook entry without the token (401), or with a wrong one', async () => {
    const { origin, control, entries, halts } = await setup();
    for (const path of ['/api/halt', '/api/note', '/api/detected', '/api/advance']) {
      const none = await request(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: '{"confirm":true,"text":"x"}' });
      expect(none.status, path).toBe(401);
      const wrong = await control(path, { confirm: true, text: 'x' }, { authorization: 'Bearer not-the-token' });
      expect(wrong.status, path).toBe(401);
    }
    // A token in the query string or a cookie is not a token.
    const cookie = await request(`${origin}/api/note`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'token=x' }, body: '{"text":"x"}' });
    expect(cookie.status).toBe(401);
    expect(entries).toEqual([]);
    expect(halts()).toBe(0);
  });

  it('refuses a cross-origin POST (403) even when it carries the token', async () => {
    const { control, entries, halts } = await setup();
    const foreign = await control('/api/halt', { confirm: true }, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const crossSite = await control('/api/note', { text: 'x' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    // A form post (no JSON) cannot carry the header anyway; it is refused as well.
    const form = await control('/api/note', { text: 'x' }, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(entries).toEqual([]);
    expect(halts()).toBe(0);
  });

  it('with the token from its own page: halt once confirmed, notes and Detected marks recorded, Advance at a gate', async () => {
    const { control, entries, halts, rec, c } = await setup();
    expect((await control('/api/halt', {})).status).toBe(400);
    expect(halts()).toBe(0);
    expect((await control('/api/halt', { confirm: true })).status).toBe(202);
    expect(halts()).toBe(1);
    expect((await control('/api/note', { text: 'pager went off' })).status).toBe(201);
    expect((await control('/api/detected', { by: 'alice', via: 'teleport' })).status).toBe(400);
    expect((await control('/api/detected', { by: 'alice', via: 'dashboard' })).status).toBe(201);
    expect(entries).toEqual([
      { type: 'note', text: 'pager went off' },
      { type: 'detected', by: 'alice', via: 'dashboard' },
    ]);
    expect(rec.journal.events.map((e) => e.type)).toEqual(['note', 'detected']);
    // The token is never part of the journal.
    expect(JSON.stringify(rec.journal)).not.toContain(c.token);

    expect((await control('/api/advance', {})).status).toBe(409);
    const passed = c.waitForAdvance('What did the dashboards show?');
    expect((await control('/api/advance', {})).status).toBe(200);
    await passed;
  });

  it('gives a late viewer everything so far, and a reconnecting one only what it missed', async () => {
    const { origin, rec } = await setup();
    rec.record('phase', { phase: 'setup' });
    rec.record('phase', { phase: 'plan' });
    rec.sample({ probe: 'writes', t: 1_100, ok: true, ms: 3 });
    const late = await readStream(`${origin}/events`, /event: standing/);
    expect(late).toContain('event: hello');
    expect(late).toMatch(/id: 1\nevent: journal\ndata: .*"phase":"setup"/);
    expect(late).toMatch(/id: 3\nevent: sample\ndata: .*"probe":"writes"/);
    const resumed = await readStream(`${origin}/events`, /event: standing/, { 'last-event-id': '2' });
    expect(resumed).not.toContain('"phase":"setup"');
    expect(resumed).toContain('id: 3\n');
    // Live: an event recorded while a viewer watches reaches it.
    const watching = readStream(`${origin}/events`, /"phase":"steady-state"/);
    await new Promise((r) => setImmediate(r));
    rec.record('phase', { phase: 'steady-state' });
    expect(await watching).toContain('id: 4\n');
  });

  it('rejects a malformed --listen before anything is touched', () => {
    expect(() => parseListen('nonsense')).toThrow(InvalidInputError);
    expect(() => parseListen('1.2.3.4:70000')).toThrow(InvalidInputError);
    expect(parseListen('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('0.0.0.0:9000')).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
  });
});
