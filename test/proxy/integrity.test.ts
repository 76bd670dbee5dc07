// The proxy reads into reused buffers: a buffer read into again while a write from it is still in
// flight, or held for a later release without a copy, would corrupt the stream. So random bytes go
// through an echo server, both ways at once, with a reader that keeps pausing (backpressure through
// the proxy), under every impairment and while impairments come and go; the hashes of what was sent
// and what came back must match. 40 MB each way per case.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import net from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultProxy, LinkImpairment } from '../../src/proxy/index.js';
import { echoServer, LOCAL, proxied, readAll } from './harness.js';

const BYTES = 40 * 1024 * 1024;
const SOURCE = randomBytes(8 * 1024 * 1024);
const MB = 1024 * 1024;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup() {
  const up = await echoServer();
  const p = await proxied(up.port);
  cleanup.push(() => up.close(), () => p.close());
  return p;
}

interface Steps {
  /** Called once when this many bytes have been written. */
  at?: [number, () => void][];
  /** Called each time the writer is blocked by backpressure, with the bytes written so far. */
  blocked?: (sent: number) => void;
}

/**
 * Writes `BYTES` of random data in slices of random length from random offsets, reads the echo with
 * pauses, and resolves with the SHA-256 of what was sent and of what came back.
 */
function echoRandom(s: Socket, steps: Steps = {}): Promise<{ sent: string; received: string }> {
  const sentHash = createHash('sha256');
  const gotHash = createHash('sha256');
  const at = [...(steps.at ?? [])];
  let sent = 0;
  let got = 0;
  let nextPause = 3 * MB;
  return new Promise((resolve, reject) => {
    s.on('error', reject);
    s.on('close', () => reject(new Error(`closed after ${sent} bytes sent and ${got} received`)));
    s.on('data', (c: Buffer) => {
      gotHash.update(c);
      got += c.length;
      if (got === BYTES) resolve({ sent: sentHash.digest('hex'), received: gotHash.digest('hex') });
      else if (got >= nextPause) {
        // A reader that stops now and then makes the proxy's writes to it pend and its reads pause.
        nextPause += randomInt(1, 4) * MB;
        s.pause();
        setTimeout(() => s.resume(), 2);
      }
    });
    const write = (): void => {
      while (sent < BYTES) {
        while (at.length > 0 && sent >= at[0]![0]) at.shift()![1]();
        // Half the writes small: the proxy then reads small chunks, whose writes can pend below the
        // destination's high-water mark without pausing the source.
        const len = Math.min(BYTES - sent, randomInt(2) === 0 ? randomInt(1, 4096) : randomInt(1, 256 * 1024));
        const from = randomInt(0, SOURCE.length - len + 1);
        const slice = SOURCE.subarray(from, from + len);
        sentHash.update(slice);
        sent += len;
        if (!s.write(slice)) {
          s.once('drain', write);
          steps.blocked?.(sent);
          return;
        }
      }
    };
    write();
  });
}

/**
 * Impairs the link at `at` bytes and heals it once the writer is blocked with 2 MB more written: a
 * stalled pipe queues up to 8 MB before it pauses its source, so that much always gets through.
 */
function stallThenHeal(proxy: FaultProxy, at: number, impairment: LinkImpairment): Steps {
  let id: string | undefined;
  return {
    at: [[at, () => (id = proxy.impair('svc', impairment))]],
    blocked: (sent) => {
      if (id === undefined || sent < at + 2 * MB) return;
      proxy.remove(id);
      id = undefined;
    },
  };
}

describe('data integrity through pooled read buffers', () => {
  it('without impairments', async () => {
    const { client } = await setup();
    const r = await echoRandom(await client());
    expect(r.received).toBe(r.sent);
  });

  it.each<[string, LinkImpairment[]]>([
    ['latency with jitter', [{ kind: 'latency', delayMs: 2, jitterMs: 1, direction: 'both' }]],
    ['bandwidth', [{ kind: 'bandwidth', bytesPerSecond: 200 * MB, direction: 'both' }]],
    ['latency and bandwidth', [{ kind: 'latency', delayMs: 1, jitterMs: 0, direction: 'up' }, { kind: 'bandwidth', bytesPerSecond: 200 * MB, direction: 'down' }]],
  ])('under %s for the whole stream', async (_name, impairments) => {
    const { proxy, client } = await setup();
    for (const imp of impairments) proxy.impair('svc', imp);
    const r = await echoRandom(await client());
    expect(r.received).toBe(r.sent);
  });

  it('while latency and bandwidth are injected and removed mid-stream', async () => {
    const { proxy, client } = await setup();
    const ids: string[] = [];
    const add = (imp: LinkImpairment) => () => void ids.push(proxy.impair('svc', imp));
    const removeAll = () => ids.splice(0).forEach((id) => proxy.remove(id));
    const r = await echoRandom(await client(), {
      at: [
        [4 * MB, add({ kind: 'latency', delayMs: 3, jitterMs: 2, direction: 'both' })],
        [12 * MB, removeAll],
        [16 * MB, add({ kind: 'bandwidth', bytesPerSecond: 100 * MB, direction: 'up' })],
        [22 * MB, removeAll],
        [26 * MB, add({ kind: 'latency', delayMs: 1, jitterMs: 0, direction: 'down' })],
        [30 * MB, removeAll],
      ],
    });
    expect(r.received).toBe(r.sent);
  });

  it.each<[string, LinkImpairment]>([
    ['a partition both ways', { kind: 'partition', direction: 'both' }],
    ['a partition of the replies', { kind: 'partition', direction: 'down' }],
    ['a timeout', { kind: 'timeout' }],
  ])('through %s that stalls the stream and heals', async (_name, impairment) => {
    const { proxy, client } = await setup();
    const r = await echoRandom(await client(), stallThenHeal(proxy, 8 * MB, impairment));
    expect(r.received).toBe(r.sent);
  });

  it('on a connection held by a partition until it heals', async () => {
    const { proxy, client } = await setup();
    const id = proxy.impair('svc', { kind: 'partition', direction: 'both' });
    let healed = false;
    // A held client is read up to 1 MB, then paused: that much always gets written before it blocks.
    const r = await echoRandom(await client(), {
      blocked: (sent) => {
        if (healed || sent < MB) return;
        proxy.remove(id);
        healed = true;
      },
    });
    expect(healed).toBe(true);
    expect(r.received).toBe(r.sent);
  });
});

describe('writes that pend below the high-water mark', () => {
  it('keep their bytes while the source reads on into other buffers', async () => {
    // An upstream that does not read until told: the proxy's writes to it fill the socket buffers,
    // then pend one small chunk at a time, each below the high-water mark, so the proxy's source is
    // not paused by them and reads the next chunk while the last is still waiting to go out.
    let release: (() => void) | undefined;
    const upstream = net.createServer({ allowHalfOpen: true }, (s) => {
      s.pause();
      s.on('error', () => {});
      const hash = createHash('sha256');
      s.on('data', (c: Buffer) => hash.update(c));
      s.on('end', () => s.end(hash.digest('hex')));
      release = () => s.resume();
    });
    await new Promise<void>((r) => upstream.listen(0, LOCAL, r));
    const p = await proxied((upstream.address() as net.AddressInfo).port);
    cleanup.push(() => new Promise((r) => upstream.close(() => r())), () => p.close());
    const s = await p.client();
    const answer = readAll(s);
    const sent = createHash('sha256');
    for (let i = 0; i < 16 * 1024; i++) {
      const chunk = SOURCE.subarray(i * 512, i * 512 + 1024);
      sent.update(chunk);
      s.write(chunk);
      // One chunk per turn of the event loop, so the proxy reads them one by one.
      await new Promise((r) => setImmediate(r));
    }
    s.end();
    release!();
    expect((await answer).toString()).toBe(sent.digest('hex'));
  });
});
