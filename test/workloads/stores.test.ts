// Workloads against real stores: redis-server and PostgreSQL started by the test on free ports.
// What faultline's final read says must agree with an independent read of the store.
// Run under the shared lock: flock /work/test.lock npx vitest run test/workloads/stores.test.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/domain/errors.js';
import type { Operation } from '../../src/domain/history.js';
import { Workload, type WorkloadSpec } from '../../src/domain/workload.js';
import { runHostCommand } from '../../src/drivers/host-command.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { Workloads } from '../../src/workloads/workloads.js';
import { waitFor } from '../support/http-kv-store.js';
import { freePort } from '../support/free-port.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-stores-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function connect(specs: Record<string, WorkloadSpec>, runId: string): Promise<Workloads> {
  return (await Workloads.connect(specs, { clock: systemClock, runId, dir: mkdtempSync(path.join(dir, `${runId}-`)), runCommand: runHostCommand, cwd: dir }, new AbortController().signal))!;
}

async function history(w: Workloads): Promise<Operation[]> {
  const ops: Operation[] = [];
  for await (const op of w.operations()) ops.push(op);
  return ops;
}

const summary = (w: Workloads) => w.record([]).counts[0]!;

describe('redis workload', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());

  const spec = () => Workload.parse({ rate: '200/s', write: { redis: { url: redis.url } }, read: { redis: { url: redis.url } }, finalRead: { within: '20s' } });

  it('SETs each key and reads every acknowledged one back, as redis itself says', async () => {
    const w = await connect({ cache: spec() }, 'redis-ok');
    try {
      w.start();
      await waitFor('50 operations', () => summary(w).operations >= 50);
      await w.finalRead(new AbortController().signal);
      const acked = (await history(w)).filter((o) => o.outcome === 'ok');
      expect(acked.length).toBeGreaterThanOrEqual(50);
      for (const o of acked) expect(await redis.client.get(o.key)).toBe(o.value);
      expect(w.finalReads.every((r) => r.found === 'present')).toBe(true);
    } finally {
      await w.close();
    }
  });

  it('sees the writes a killed, empty redis lost, the same ones an independent read misses', async () => {
    const w = await connect({ cache: spec() }, 'redis-kill');
    try {
      w.start();
      await waitFor('40 operations', () => summary(w).ok >= 40);
      await redis.kill();
      await waitFor('operations failing while redis is down', () => summary(w).fail + summary(w).unknown >= 5);
      await redis.start();
      await waitFor('writes acknowledged again', () => summary(w).ok >= 80);
      await w.finalRead(new AbortController().signal);
      const ops = await history(w);
      const absent = new Set(w.finalReads.filter((r) => r.found === 'absent').map((r) => r.key));
      expect(absent.size).toBeGreaterThanOrEqual(40);
      const independentlyMissing = new Set<string>();
      for (const o of ops.filter((x) => x.outcome === 'ok' || x.outcome === 'unknown')) if ((await redis.client.get(o.key)) !== o.value) independentlyMissing.add(o.key);
      expect([...absent].sort()).toEqual([...independentlyMissing].sort());
      // While redis was down, writes failed without being sent: never "ok".
      expect(ops.some((o) => o.outcome === 'fail' && /not connected|ECONNREFUSED/.test(o.error ?? ''))).toBe(true);
    } finally {
      await w.close();
    }
  });

  it('refuses to start when redis cannot be reached, naming the address', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const bad = Workload.parse({ rate: '10/s', write: { redis: { url } } });
    await expect(connect({ cache: bad }, 'redis-down')).rejects.toSatisfy((e: unknown) => e instanceof EnvironmentError && e.message.includes(`127.0.0.1:${port}`) && e.message.includes('"cache"'));
  });
});

describe('postgres workload', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => server?.stop());

  it('creates its table, INSERTs each key and SELECTs every acknowledged one back, as postgres itself says', async () => {
    const spec = Workload.parse({ rate: '100/s', write: { postgres: { url: server.url, table: 'orders' } }, read: { postgres: { url: server.url, table: 'orders' } } });
    const w = await connect({ orders: spec }, 'pg-ok');
    try {
      w.start();
      await waitFor('30 operations', () => summary(w).ok >= 30);
      await w.finalRead(new AbortController().signal);
      const acked = (await history(w)).filter((o) => o.outcome === 'ok');
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        const rows = (await client.query<{ key: string; value: string; written_at: Date }>('SELECT key, value, written_at FROM orders')).rows;
        const byKey = new Map(rows.map((r) => [r.key, r]));
        for (const o of acked) {
          expect(byKey.get(o.key)?.value).toBe(o.value);
          expect(byKey.get(o.key)?.written_at).toBeInstanceOf(Date);
        }
      } finally {
        await client.end();
      }
      expect(w.finalReads).toHaveLength(acked.length);
      expect(w.finalReads.every((r) => r.found === 'present')).toBe(true);
    } finally {
      await w.close();
    }
  });

  it('refuses to start when postgres cannot be reached, naming the address', async () => {
    const port = await freePort();
    const bad = Workload.parse({ rate: '10/s', write: { postgres: { url: `postgres://postgres@127.0.0.1:${port}/postgres` } } });
    await expect(connect({ orders: bad }, 'pg-down')).rejects.toSatisfy((e: unknown) => e instanceof EnvironmentError && e.message.includes(`127.0.0.1:${port}`));
  });
});
