// Real loopback servers and clients for the proxy tests. Ports are always ephemeral.
import { createHash } from 'node:crypto';
import net from 'node:net';
import type { Server, Socket } from 'node:net';
import { FaultProxy } from '../../src/proxy/index.js';
import type { Endpoint } from '../../src/proxy/index.js';

export const LOCAL = '127.0.0.1';

/** Small deterministic PRNG (mulberry32) so tests can predict the proxy's draws. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestServer {
  server: Server;
  port: number;
  /** Connections the server has accepted so far. */
  accepted: () => number;
  /** Connections the server holds open now. */
  open: () => number;
  close(): Promise<void>;
}

async function serve(handler: (s: Socket) => void, opts: net.ServerOpts = {}): Promise<TestServer> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server = net.createServer(opts, (s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    handler(s);
  });
  await new Promise<void>((r) => server.listen(0, LOCAL, r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    server,
    port,
    accepted: () => accepted,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const echoServer = (): Promise<TestServer> => serve((s) => s.pipe(s));

/** Reads everything, then answers with the byte count and SHA-256 of what it read. */
export const sinkServer = (): Promise<TestServer> =>
  serve(
    (s) => {
      const hash = createHash('sha256');
      let n = 0;
      s.on('data', (c: Buffer) => {
        n += c.length;
        hash.update(c);
      });
      s.on('end', () => s.end(`${n} ${hash.digest('hex')}`));
    },
    { allowHalfOpen: true },
  );

/** Writes `bytes` of deterministic data, then ends. */
export const sourceServer = (bytes: number): Promise<TestServer> =>
  serve((s) => {
    const block = pattern(1 << 20);
    let left = bytes;
    const more = (): void => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!s.write(block.subarray(0, n))) {
          s.once('drain', more);
          return;
        }
      }
      s.end();
    };
    more();
  });

export function pattern(size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >>> 8)) & 0xff;
  return b;
}

export function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: LOCAL, port, allowHalfOpen: true });
    s.setNoDelay(true);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Resolves with the next `n` bytes read from `s` (data listener removed afterwards). */
export function read(s: Socket, n: number, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    const done = (err?: Error): void => {
      clearTimeout(timer);
      s.off('data', onData);
      if (err) reject(err);
      else resolve(Buffer.concat(parts));
    };
    const onData = (c: Buffer): void => {
      parts.push(c);
      got += c.length;
      if (got >= n) done();
    };
    const timer = setTimeout(() => done(new Error(`read timed out after ${timeoutMs} ms with ${got}/${n} bytes`)), timeoutMs);
    s.on('data', onData);
  });
}

/** Everything until the peer ends. */
export function readAll(s: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

/** True if nothing arrives on `s` (and it does not close) within `ms`. */
export function silentFor(s: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onEvent = (): void => finish(false);
    const finish = (quiet: boolean): void => {
      clearTimeout(timer);
      s.off('data', onEvent);
      s.off('end', onEvent);
      s.off('close', onEvent);
      resolve(quiet);
    };
    const timer = setTimeout(() => finish(true), ms);
    s.on('data', onEvent);
    s.on('end', onEvent);
    s.on('close', onEvent);
  });
}

export function closed(s: Socket): Promise<void> {
  return new Promise((r) => {
    if (s.closed) r();
    else s.once('close', () => r());
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A proxy with one link "svc" in front of `upstream`, plus teardown that checks nothing is left open. */
export async function proxied(upstream: number | Endpoint, rng = seeded(1)) {
  const proxy = new FaultProxy({ rng });
  const target = typeof upstream === 'number' ? { host: LOCAL, port: upstream } : upstream;
  await proxy.addLink('svc', { host: LOCAL, port: 0 }, target);
  const addr = proxy.address('svc');
  const clients = new Set<Socket>();
  return {
    proxy,
    port: addr.port,
    async client(): Promise<Socket> {
      const s = await connect(addr.port);
      clients.add(s);
      s.on('error', () => {});
      return s;
    },
    async close(): Promise<void> {
      for (const s of clients) s.destroy();
      await proxy.close();
    },
  };
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Sends `msg` and waits for the echo; returns the round-trip time in ms. */
export async function roundTrip(s: Socket, msg: Buffer | string): Promise<number> {
  const buf = typeof msg === 'string' ? Buffer.from(msg) : msg;
  const t0 = performance.now();
  const reply = read(s, buf.length);
  s.write(buf);
  const got = await reply;
  if (!got.equals(buf)) throw new Error(`echo mismatch: sent ${buf.length} bytes, got ${got.length}`);
  return performance.now() - t0;
}
