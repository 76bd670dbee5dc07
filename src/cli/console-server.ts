// The live web console: served by the faultline process itself (node:http, no framework, no
// build step), so a game day needs nothing but the run. Everyone may watch; controls need the
// facilitator's token.
//
// API (for `faultline run --console` and `faultline gameday`):
//
//   const console = await startConsole({ plan, halt, logbook, listen?, token?, now? });
//   console.url             read-only URL, to share with the room
//   console.facilitatorUrl  the same with `#token=...`: controls (the fragment never reaches a server log)
//   console.listener        a JournalListener: pass it to runExperiment (`listen`)
//   console.beginRun(plan)  a new run on the same console (a scenario's next step)
//   console.waitForAdvance(prompt, signal?)  shows Advance at a manual gate; resolves when pressed
//   console.finish(end)     tells viewers how the run ended (status, reason, verdicts)
//   console.close()
//
//   halt():       what the Halt button does; the CLI runs `faultline halt` (console-halt.ts)
//   logbook(e):   stores a note or Detected mark (journal + fsynced logbook.jsonl) and returns the
//                 journal event, which comes back through the listener like any other
//
// Live updates use Server-Sent Events rather than WebSocket: the traffic is one-way (server to
// viewers; controls are ordinary POSTs), it is plain HTTP with nothing to upgrade or frame, and
// EventSource reconnects by itself, sending Last-Event-ID so the server replays only what was
// missed.
//
// Security (an admin interface for production faults): binds 127.0.0.1 by default; every control
// and every logbook entry is a POST carrying the token in an Authorization header (never a
// cookie, so a cross-site page cannot borrow it); a POST whose Origin is not this console's is
// refused before the token is looked at; the token is compared in constant time and is never
// written to the journal.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvironmentError, InvalidInputError } from '../domain/errors.js';
import { DETECTION_CHANNELS, LOGBOOK_LIMITS, type DetectionChannel } from '../domain/logbook.js';
import type { ObjectiveVerdict, RunStatus } from '../domain/model.js';
import type { JournalListener } from '../journal/recorder.js';
import { systemClock } from '../runtime/system-clock.js';
import { nodeHttp } from '../runtime/late-builtins.js';
import { CONSOLE_CSS, CONSOLE_HTML, CONSOLE_JS } from './console-page.js';
import { ConsoleState, type ConsoleMessage, type ConsolePlan } from './console-state.js';

export type { ConsolePlan } from './console-state.js';

export type LogbookEntry = { type: 'note'; text: string } | { type: 'detected'; by: string; via: DetectionChannel; text?: string };

export interface ConsoleOptions {
  plan: ConsolePlan;
  /** The Halt button: everything reverted now, exactly as `faultline halt`. */
  halt: () => Promise<void>;
  /** Records a logbook entry durably; the console answers the facilitator only once it has returned. */
  logbook: (entry: LogbookEntry) => Promise<void> | void;
  /** host:port, :port or port; default 127.0.0.1 and a free port. */
  listen?: string;
  /** Default: 24 random bytes, base64url. */
  token?: string;
  now?: () => number;
}

export interface RunEnd {
  status: RunStatus;
  reason?: string;
  verdicts: ObjectiveVerdict[];
}

export interface Console {
  url: string;
  facilitatorUrl: string;
  token: string;
  listener: JournalListener;
  beginRun(plan: ConsolePlan): void;
  waitForAdvance(prompt: string, signal?: AbortSignal): Promise<void>;
  finish(end: RunEnd): void;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;
/** How often viewers get the objectives as they stand and the server's clock (for countdowns). */
const STANDING_EVERY_MS = 1000;
/** A comment line now and then keeps idle proxies from closing the stream. */
const KEEPALIVE_EVERY_MS = 15_000;

/** What a logbook or control callback throws when the request is fine but cannot be done now (409). */
export class NotNow extends Error {}

export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:\s]*):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new InvalidInputError(`--listen ${value}: expected host:port, :port or port (e.g. 127.0.0.1:8080, 0.0.0.0:8080)`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
  return { host: host || '127.0.0.1', port };
}

export async function startConsole(o: ConsoleOptions): Promise<Console> {
  const now = o.now ?? (() => systemClock.now());
  const token = o.token ?? randomBytes(24).toString('base64url');
  const tokenDigest = digest(token);
  const { host, port } = parseListen(o.listen ?? '127.0.0.1:0');
  let state = new ConsoleState(o.plan);
  let ended: RunEnd | undefined;
  let gate: { prompt: string; pass: () => void } | undefined;
  const viewers = new Set<ServerResponse>();
  let loopbackHosts: Set<string> | undefined;

  const send = (res: ServerResponse, m: ConsoleMessage) => res.write(`id: ${m.id}\nevent: ${m.event}\ndata: ${m.data}\n\n`);
  const broadcast = (event: string, data: unknown) => {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const v of viewers) v.write(text);
  };
  const hello = () => ({ plan: state.plan, now: now() });
  const standing = () => broadcast('standing', { now: now(), standing: state.standing(now()), gate: gate?.prompt ?? null, ended: ended ?? null });
  // Only while someone watches: an unwatched console costs nothing.
  const ticker = setInterval(() => viewers.size && standing(), STANDING_EVERY_MS).unref();
  const keepalive = setInterval(() => {
    for (const v of viewers) v.write(': keepalive\n\n');
  }, KEEPALIVE_EVERY_MS).unref();

  const server = nodeHttp().createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) reply(res, e instanceof NotNow ? 409 : 500, { error: e instanceof Error ? e.message : String(e) });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // On loopback, a page of another site whose name was made to resolve to 127.0.0.1 (DNS
    // rebinding) must not even watch: only this machine's own names are answered.
    if (loopbackHosts && !loopbackHosts.has(req.headers.host ?? '')) return reply(res, 403, { error: `unknown host ${req.headers.host ?? '(none)'}: open the console by the address it printed` });
    const url = new URL(req.url ?? '/', 'http://console');
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (url.pathname === '/') return asset(res, 'text/html; charset=utf-8', CONSOLE_HTML);
      if (url.pathname === '/console.js') return asset(res, 'text/javascript; charset=utf-8', CONSOLE_JS);
      if (url.pathname === '/console.css') return asset(res, 'text/css; charset=utf-8', CONSOLE_CSS);
      if (url.pathname === '/events') return stream(req, res);
      return reply(res, 404, { error: 'not found' });
    }
    if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) return reply(res, 405, { error: 'method not allowed' });
    const refused = refusal(req);
    if (refused) return reply(res, refused.status, { error: refused.why });
    const body = await readJson(req);
    if (body === undefined) return reply(res, 400, { error: `expected a JSON object of at most ${MAX_BODY} bytes` });
    switch (url.pathname) {
      case '/api/halt':
        if (body['confirm'] !== true) return reply(res, 400, { error: 'halt must be confirmed: send {"confirm": true}' });
        // Answered at once: halting waits for every revert, and the page shows it through the journal.
        void o.halt().catch((e: unknown) => broadcast('problem', { message: `halt failed: ${e instanceof Error ? e.message : String(e)}` }));
        return reply(res, 202, { halting: true });
      case '/api/note': {
        const text = field(body, 'text', LOGBOOK_LIMITS.text);
        if (!text) return reply(res, 400, { error: `a note needs "text" (1 to ${LOGBOOK_LIMITS.text} characters)` });
        await o.logbook({ type: 'note', text });
        return reply(res, 201, { recorded: true });
      }
      case '/api/detected': {
        const by = field(body, 'by', LOGBOOK_LIMITS.by);
        const via = body['via'];
        const text = field(body, 'text', LOGBOOK_LIMITS.text);
        if (!by || !DETECTION_CHANNELS.includes(via as DetectionChannel)) return reply(res, 400, { error: `a Detected mark needs "by" (who noticed) and "via": one of ${DETECTION_CHANNELS.join(', ')}` });
        await o.logbook({ type: 'detected', by, via: via as DetectionChannel, ...(text ? { text } : {}) });
        return reply(res, 201, { recorded: true });
      }
      case '/api/advance':
        if (!gate) return reply(res, 409, { error: 'no manual gate is waiting' });
        gate.pass();
        return reply(res, 200, { advanced: true });
      default:
        return reply(res, 404, { error: 'not found' });
    }
  }

  /** Why a control request is refused, checked before its body is read. */
  function refusal(req: IncomingMessage): { status: number; why: string } | undefined {
    const origin = req.headers.origin;
    // A browser names the page that sent the request; only this console's own page may.
    if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return { status: 403, why: `cross-origin request refused (Origin ${origin})` };
    if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, why: 'cross-site request refused' };
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m || !timingSafeEqual(digest(m[1]!), tokenDigest)) return { status: 401, why: 'the facilitator token is required (Authorization: Bearer TOKEN)' };
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return { status: 415, why: 'send JSON (Content-Type: application/json)' };
    return undefined;
  }

  function stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    res.write(`event: hello\ndata: ${JSON.stringify(hello())}\n\n`);
    // A reconnecting viewer gets what it missed; a new one, everything so far.
    const last = Number(req.headers['last-event-id'] ?? 0);
    const from = Number.isInteger(last) && last > 0 && last <= state.messages.length ? last : 0;
    for (const m of state.messages.slice(from)) send(res, m);
    res.write(`event: standing\ndata: ${JSON.stringify({ now: now(), standing: state.standing(now()), gate: gate?.prompt ?? null, ended: ended ?? null })}\n\n`);
    viewers.add(res);
    req.on('close', () => viewers.delete(res));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new EnvironmentError(`cannot serve the console on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`)));
    server.listen(port, host, resolve);
  });
  // The console never keeps faultline alive: the run does, and when it is over nothing waits for viewers.
  server.unref();
  server.on('connection', (socket) => socket.unref());
  const bound = server.address() as AddressInfo;
  const base = `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}/`;
  loopbackHosts = isLoopback(bound.address) ? new Set(['127.0.0.1', 'localhost', '[::1]', `[${bound.address}]`, bound.address].map((h) => `${h}:${bound.port}`)) : undefined;

  return {
    url: base,
    facilitatorUrl: `${base}#token=${token}`,
    token,
    listener: (e) => {
      const m = state.observe(e);
      for (const v of viewers) send(v, m);
    },
    beginRun(plan) {
      state = new ConsoleState(plan);
      ended = undefined;
      broadcast('hello', hello());
    },
    waitForAdvance(prompt, signal) {
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          gate = undefined;
          reject(signal!.reason);
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        gate = {
          prompt,
          pass: () => {
            gate = undefined;
            signal?.removeEventListener('abort', onAbort);
            standing();
            resolve();
          },
        };
        standing();
      });
    },
    finish(end) {
      ended = end;
      standing();
    },
    close() {
      clearInterval(ticker);
      clearInterval(keepalive);
      for (const v of viewers) v.end();
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

const SECURITY_HEADERS = {
  // Scripts and styles are files of the console itself: nothing inline, nothing from elsewhere.
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function asset(res: ServerResponse, type: string, text: string): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' }).end(text);
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(body)}\n`);
}

function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || address === '::ffff:127.0.0.1';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function field(body: Record<string, unknown>, key: string, max: number): string | undefined {
  const v = body[key];
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  return text && text.length <= max ? text : undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
