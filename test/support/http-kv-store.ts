// A key-value store over HTTP for workload tests, in the test process (node:http, port 0):
// PUT /kv/KEY stores the body, GET /kv/KEY answers it or 404. It can stall (hold every request
// until released) or answer 503, so tests can make the slow and the broken store they need.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpKvStore {
  url: string;
  data: Map<string, string>;
  /** Requests received, by method. */
  received: { PUT: number; GET: number };
  /** Holds every request (new and already waiting) until `release()`. */
  stall(): void;
  release(): void;
  /** Answer 503 to everything while true. */
  broken: boolean;
  /** Requests currently held by a stall. */
  held(): number;
  close(): Promise<void>;
}

export async function startHttpKvStore(): Promise<HttpKvStore> {
  const data = new Map<string, string>();
  const received = { PUT: 0, GET: 0 };
  let gate: Promise<void> | null = null;
  let open: () => void = () => {};
  let held = 0;
  const store: HttpKvStore = {
    url: '',
    data,
    received,
    broken: false,
    stall() {
      gate ??= new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
    held: () => held,
    close: () => new Promise((resolve) => {
      store.release();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'PUT' || req.method === 'GET') received[req.method] += 1;
    while (gate) {
      held += 1;
      await gate;
      held -= 1;
    }
    if (store.broken) return void res.writeHead(503).end('broken on purpose');
    const key = decodeURIComponent((req.url ?? '').replace(/^\/kv\//, ''));
    if (req.method === 'PUT') {
      data.set(key, Buffer.concat(chunks).toString('utf8'));
      return void res.writeHead(200).end('ok');
    }
    const value = data.get(key);
    if (value === undefined) return void res.writeHead(404).end();
    res.writeHead(200).end(value);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  store.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return store;
}

/** Polls `check` until it is true or `ms` pass; throws with `what` on the deadline. */
// 30 s: the wait ends when the state is reached; only a busy machine (load 20 seen in CI-like runs) needs the margin.
export async function waitFor(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
