// The open-model generator against a real HTTP store in this process: the rate is held from the
// start (no drift), operations beyond maxInFlight are dropped, a stalled store yields "unknown",
// latency counts from the scheduled start, and the history file holds every operation.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../src/domain/history.js';
import { Workload, type WorkloadSpec } from '../../src/domain/workload.js';
import { runHostCommand } from '../../src/drivers/host-command.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { readJsonLines } from '../../src/workloads/history-file.js';
import { Workloads } from '../../src/workloads/workloads.js';
import { startHttpKvStore, waitFor, type HttpKvStore } from '../support/http-kv-store.js';

let store: HttpKvStore;
let dir: string;
const open: Workloads[] = [];

beforeAll(async () => {
  store = await startHttpKvStore();
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-workloads-'));
});
afterEach(async () => {
  store.release();
  store.broken = false;
  await Promise.all(open.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function spec(extra: Record<string, unknown> = {}): WorkloadSpec {
  return Workload.parse({
    rate: '200/s',
    write: { http: { url: `${store.url}/kv/{{key}}`, body: '{{value}}' }, timeout: '2s' },
    read: { http: { url: `${store.url}/kv/{{key}}` } },
    ...extra,
  });
}

async function connect(specs: Record<string, WorkloadSpec>, runId: string): Promise<Workloads> {
  const w = (await Workloads.connect(specs, { clock: systemClock, runId, dir: mkdtempSync(path.join(dir, `${runId}-`)), runCommand: runHostCommand, cwd: dir }, new AbortController().signal))!;
  open.push(w);
  return w;
}

async function history(w: Workloads): Promise<Operation[]> {
  const ops: Operation[] = [];
  for await (const op of w.operations()) ops.push(op);
  return ops;
}

const count = (w: Workloads) => w.record([]).counts[0]!.operations;

describe('workload generator', () => {
  it('holds the rate: operation i is scheduled at start + i/rate, and each is recorded once, complete', async () => {
    // Room for every operation even if this busy machine stalls the test process for a while.
    const w = await connect({ orders: spec({ maxInFlight: 10_000 }) }, 'rate');
    w.start();
    await waitFor('100 operations', () => count(w) >= 100);
    const stopAt = systemClock.now();
    await w.stop();
    const ops = await history(w);
    const bySeq = [...ops].sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((o) => o.seq)).toEqual(bySeq.map((_, i) => i));
    const t0 = bySeq[0]!.scheduledAt;
    for (const op of bySeq) {
      expect(op.scheduledAt - t0).toBeCloseTo(op.seq * 5, 6);
      expect(op).toMatchObject({ workload: 'orders', type: 'write', key: `orders-rate-${op.seq}`, value: `rate.${op.seq}`, outcome: 'ok' });
      expect(op.startedAt!).toBeGreaterThanOrEqual(op.scheduledAt);
      expect(op.completedAt!).toBeGreaterThanOrEqual(op.startedAt!);
      expect(store.data.get(op.key)).toBe(op.value);
    }
    // Every operation due before the stop was started, however busy the machine: no drift, no gap.
    const due = Math.floor((stopAt - w.startedAt!) / 5) + 1;
    expect(bySeq.length).toBeGreaterThanOrEqual(due - 1);
    expect(bySeq.length).toBeLessThanOrEqual(due + 2);
  });

  it('records an operation that cannot start within maxInFlight as dropped at its scheduled time, never delayed', async () => {
    store.stall();
    const w = await connect({ orders: spec({ maxInFlight: 4, write: { http: { url: `${store.url}/kv/{{key}}`, body: '{{value}}' }, timeout: '10s' } }) }, 'drop');
    w.start();
    await waitFor('the store to hold 4 requests and 10 operations to be dropped', () => store.held() === 4 && w.record([]).counts[0]!.dropped >= 10);
    store.release();
    await w.stop();
    const ops = await history(w);
    const dropped = ops.filter((o) => o.outcome === 'dropped');
    expect(dropped.length).toBeGreaterThanOrEqual(10);
    for (const o of dropped) expect(o).toMatchObject({ startedAt: null, completedAt: null, error: expect.stringContaining('maxInFlight') });
    // The first four started and were acknowledged once released.
    expect(ops.filter((o) => o.seq < 4).every((o) => o.outcome === 'ok')).toBe(true);
  });

  it('records a write the store never answers as unknown, and reads it back', async () => {
    store.stall();
    const w = await connect({ orders: spec({ write: { http: { url: `${store.url}/kv/{{key}}`, body: '{{value}}' }, timeout: '200ms' } }) }, 'stall');
    w.start();
    await waitFor('an unknown outcome', () => w.record([]).counts[0]!.unknown >= 3);
    await w.stop();
    const unknown = (await history(w)).filter((o) => o.outcome === 'unknown');
    expect(unknown.length).toBeGreaterThanOrEqual(3);
    for (const o of unknown) {
      expect(o.error).toMatch(/no answer within 200ms/);
      expect(o.completedAt! - o.startedAt!).toBeGreaterThanOrEqual(199);
    }
    store.release();
    await w.finalRead(new AbortController().signal);
    // The stalled PUTs were applied once released: the read-back finds them ("recovered").
    const reads = new Map(w.finalReads.map((r) => [r.key, r.found]));
    for (const o of unknown) expect(reads.get(o.key)).toBe('present');
  });

  it('measures latency from the scheduled start: a 1s stall shows on every operation scheduled during it', async () => {
    const w = await connect({ orders: spec({ maxInFlight: 1000 }) }, 'latency');
    w.start();
    await waitFor('a baseline', () => count(w) >= 20);
    store.stall();
    const stallStart = performance.timeOrigin + performance.now();
    await waitFor('1s of stall', () => performance.timeOrigin + performance.now() - stallStart >= 1000, 5000);
    store.release();
    const stallEnd = performance.timeOrigin + performance.now();
    await waitFor('operations after the stall', () => count(w) >= 300);
    await w.stop();
    const ops = (await history(w)).filter((o) => o.outcome === 'ok');
    const during = ops.filter((o) => o.scheduledAt >= stallStart + 10 && o.scheduledAt < stallEnd - 10);
    expect(during.length).toBeGreaterThan(100);
    for (const o of during) expect(o.completedAt! - o.scheduledAt).toBeGreaterThanOrEqual(stallEnd - o.scheduledAt - 1);
    const first = during.reduce((a, b) => (a.scheduledAt < b.scheduledAt ? a : b));
    expect(first.completedAt! - first.scheduledAt).toBeGreaterThanOrEqual(950);
  });

  it('writes the history as operations complete, not at the end', async () => {
    const w = await connect({ orders: spec() }, 'stream');
    w.start();
    // The file is opened asynchronously: until it exists, there are no lines yet.
    await waitFor('20 lines in history.jsonl while the workload runs', () => existsSync(w.historyFile) && readFileSync(w.historyFile, 'utf8').split('\n').filter(Boolean).length >= 20);
    expect(w.stoppedAt).toBeNull();
    await w.stop();
  });
});

describe('final read-back', () => {
  it('retries while the store comes back, then finds every acknowledged write', async () => {
    const w = await connect({ orders: spec({ finalRead: { within: '20s', concurrency: 4 } }) }, 'late');
    w.start();
    await waitFor('40 operations', () => count(w) >= 40);
    await w.stop();
    store.broken = true;
    const gets = store.received.GET;
    const reading = w.finalRead(new AbortController().signal);
    await waitFor('failed reads while the store is broken', () => store.received.GET >= gets + 8);
    store.broken = false;
    await reading;
    const acked = (await history(w)).filter((o) => o.outcome === 'ok');
    expect(w.finalReads.length).toBe(acked.length);
    expect(w.finalReads.every((r) => r.found === 'present')).toBe(true);
    expect(w.record([]).counts[0]!.finalRead).toMatchObject({ keys: acked.length, present: acked.length, absent: 0, error: 0 });
    const onDisk: unknown[] = [];
    for await (const r of readJsonLines(w.finalReadsFile)) onDisk.push(r);
    expect(onDisk).toHaveLength(acked.length);
  });

  it('records found "error" for every key when the store never answers within the budget', async () => {
    const w = await connect({ orders: spec({ read: { http: { url: `${store.url}/kv/{{key}}` }, timeout: '100ms' }, finalRead: { within: '600ms', concurrency: 8 } }) }, 'never');
    w.start();
    await waitFor('20 operations', () => count(w) >= 20);
    await w.stop();
    store.stall();
    await w.finalRead(new AbortController().signal);
    const acked = (await history(w)).filter((o) => o.outcome === 'ok').length;
    expect(w.finalReads).toHaveLength(acked);
    for (const r of w.finalReads) expect(r).toMatchObject({ found: 'error', error: expect.stringMatching(/read-back's 600ms were spent/) });
    // The keys read first were tried, and say why they failed.
    expect(w.finalReads.filter((r) => /still failing .*: no answer within \d+ms/.test(r.error!)).length).toBeGreaterThan(0);
  });

  it('tells an absent key from a present one', async () => {
    const w = await connect({ orders: spec() }, 'absent');
    w.start();
    await waitFor('20 operations', () => count(w) >= 20);
    await w.stop();
    const lost = (await history(w)).filter((o) => o.outcome === 'ok').slice(0, 5).map((o) => o.key);
    lost.forEach((k, i) => (i % 2 ? store.data.delete(k) : store.data.set(k, 'another value')));
    await w.finalRead(new AbortController().signal);
    const byKey = new Map(w.finalReads.map((r) => [r.key, r]));
    expect(lost.map((k) => byKey.get(k)!.found)).toEqual(['absent', 'absent', 'absent', 'absent', 'absent']);
    expect(byKey.get(lost[0]!)!.value).toBe('another value');
    expect(w.finalReads.filter((r) => r.found === 'present').length).toBe(w.finalReads.length - 5);
  });
});

describe('exec workload', () => {
  it('writes and reads back through a command line, one process per operation', async () => {
    const files = mkdtempSync(path.join(dir, 'exec-store-'));
    const spec = Workload.parse({
      rate: '20/s',
      write: { exec: { command: ['sh', '-c', 'printf %s "$2" > "$1/$0"', '{{key}}', files, '{{value}}'] }, timeout: '5s' },
      read: { exec: { command: ['sh', '-c', 'cat "$1/$0" 2>/dev/null || true', '{{key}}', files] }, timeout: '5s' },
    });
    const w = await connect({ files: spec }, 'exec');
    w.start();
    await waitFor('5 acknowledged writes', () => w.record([]).counts[0]!.ok >= 5);
    await w.stop();
    const acked = (await history(w)).filter((o) => o.outcome === 'ok');
    rmSync(path.join(files, acked[0]!.key));
    await w.finalRead(new AbortController().signal);
    const found = new Map(w.finalReads.map((r) => [r.key, r.found]));
    expect(found.get(acked[0]!.key)).toBe('absent');
    for (const o of acked.slice(1)) expect(found.get(o.key)).toBe('present');
  });
});
