#!/usr/bin/env node
// The restore drill of examples/restore-drill, done without faultline: start the drill's
// PostgreSQL under a small supervisor (restart on exit, like `restart: always`), insert rows at a
// steady rate, take a backup, insert more, destroy the database, restore it with restore.sh, then
// read every acknowledged row back and count what is missing.
//
//   node prove-by-hand.mjs [--corrupt] [--rate 50] [--after-backup 3000]
//
// Uses a fresh run directory (removed at the end) and port 26432 (DRILL_PORT). Every wait is for a
// state (the server answers, a write succeeds again), each with a deadline.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';

const exec = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    corrupt: { type: 'boolean', default: false },
    rate: { type: 'string', default: '50' },
    baseline: { type: 'string', default: '2000' },
    'after-backup': { type: 'string', default: '3000' },
    tail: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
  },
});
const rate = Number(opts.rate);
const port = Number(process.env.DRILL_PORT ?? 26432);
const run = mkdtempSync(join(tmpdir(), 'restore-drill-'));
const env = { ...process.env, DRILL_RUN: run, DRILL_PORT: String(port) };
const TABLE = 'drill_orders';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t0 = now();
const log = (msg) => console.log(`[${((now() - t0) / 1000).toFixed(2).padStart(6)}s] ${msg}`);

async function until(what, deadlineMs, check) {
  const end = now() + deadlineMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for: ${what}`);
    await sleep(50);
  }
}

// --- restart: always, in a dozen lines: the service is postgres.sh, in its own process group
function supervise() {
  let child;
  let stopping = false;
  let exited = Promise.resolve();
  const start = () => {
    child = spawn('bash', [join(here, 'postgres.sh')], { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', () => {});
    exited = new Promise((resolve) => child.on('exit', resolve));
    exited.then(() => !stopping && setTimeout(() => !stopping && start(), 500));
  };
  start();
  return {
    async stop() {
      stopping = true;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await exited;
    },
  };
}

async function script(name, ...args) {
  const started = now();
  const { stdout } = await exec('bash', [join(here, name), ...args], { env });
  const ended = now();
  log(`${name} ${args.join(' ')}: ${stdout.trim()} (${Math.round(ended - started)} ms)`);
  return { started, ended };
}

const connection = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000, query_timeout: 1000 };

// --- the workload: open model, one INSERT of a unique key per scheduled slot, every outcome recorded
function startWriter(runId) {
  const pool = new pg.Pool({ ...connection, max: 16 });
  pool.on('error', () => {});
  const history = [];
  const period = 1000 / rate;
  const start = now();
  let seq = 0;
  let inFlight = 0;
  let stopped = false;
  const pending = new Set();
  const fire = (scheduledAt) => {
    const n = seq++;
    const op = { workload: 'orders', seq: n, type: 'write', key: `${runId}-${n}`, value: `v${n}`, scheduledAt, startedAt: null, completedAt: null, outcome: 'dropped' };
    history.push(op);
    if (inFlight >= 32) return (op.error = 'maxInFlight reached');
    inFlight++;
    op.startedAt = now();
    const p = pool
      .query(`INSERT INTO ${TABLE} (key, value) VALUES ($1, $2)`, [op.key, op.value])
      .then(() => (op.outcome = 'ok'))
      .catch((e) => {
        // Refused connections and server errors were not applied; a timeout or a connection lost
        // mid-query may have been.
        const unknown = /timeout|terminated|ECONNRESET/i.test(e?.message ?? '') && !/connecting|connection timeout/i.test(e?.message ?? '');
        op.outcome = unknown ? 'unknown' : 'fail';
        op.error = String(e?.message ?? e).slice(0, 200);
      })
      .finally(() => {
        op.completedAt = now();
        inFlight--;
        pending.delete(p);
      });
    pending.add(p);
  };
  const loop = (async () => {
    while (!stopped) {
      const due = start + seq * period;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      else fire(due);
    }
  })();
  return {
    history,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(pending);
      await pool.end();
    },
  };
}

async function readBack(writes) {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const found = new Map();
    for (let i = 0; i < writes.length; i += 1000) {
      const keys = writes.slice(i, i + 1000).map((w) => w.key);
      const { rows } = await client.query(`SELECT key, value FROM ${TABLE} WHERE key = ANY($1)`, [keys]);
      for (const r of rows) found.set(r.key, r.value);
    }
    return writes.filter((w) => found.get(w.key) !== w.value);
  } finally {
    await client.end();
  }
}

const rel = (t, from) => (t == null ? null : Math.round(t - from));

async function main() {
  const service = supervise();
  let writer;
  try {
    await until('the server accepts connections', 60_000, async () => {
      const c = new pg.Client(connection);
      await c.connect();
      await c.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (key text PRIMARY KEY, value text, written_at timestamptz DEFAULT now())`);
      await c.end();
      return true;
    });
    log(`PostgreSQL up on 127.0.0.1:${port}, run directory ${run}; inserting ${rate}/s`);
    writer = startWriter(Math.random().toString(36).slice(2, 8));
    await sleep(Number(opts.baseline));
    const backup = await script('backup.sh', ...(opts.corrupt ? ['corrupt'] : []));
    await sleep(Number(opts['after-backup']));
    const destroy = await script('destroy.sh');
    const restore = await script('restore.sh');
    const back = await until('an INSERT succeeds again', 60_000, async () => writer.history.find((o) => o.outcome === 'ok' && o.startedAt > restore.started));
    log(`writes succeed again ${rel(back.completedAt, destroy.started)} ms after the destruction`);
    await sleep(Number(opts.tail));
    const stopping = writer;
    writer = undefined;
    await stopping.stop();
    report(stopping.history, { backup, destroy, restore, back }, await readBack(stopping.history.filter((o) => o.outcome === 'ok')));
  } finally {
    if (writer) await writer.stop().catch(() => {});
    await service.stop();
    if (!opts.keep) rmSync(run, { recursive: true, force: true });
  }
}

function report(h, { backup, destroy, restore, back }, lost) {
  const count = (f) => h.filter(f).length;
  const ok = h.filter((o) => o.outcome === 'ok');
  const lostAcks = lost.map((o) => o.completedAt).sort((a, b) => a - b);
  const from = destroy.started;
  console.log(
    JSON.stringify(
      {
        variant: opts.corrupt ? 'corrupt backup' : 'good backup',
        rate,
        operations: h.length,
        ok: ok.length,
        fail: count((o) => o.outcome === 'fail'),
        unknown: count((o) => o.outcome === 'unknown'),
        dropped: count((o) => o.outcome === 'dropped'),
        timesFromDestroyMs: { backupStarted: rel(backup.started, from), backupEnded: rel(backup.ended, from), restoreStarted: rel(restore.started, from), restoreEnded: rel(restore.ended, from), writesBack: rel(back.completedAt, from) },
        acknowledged: ok.length,
        acknowledgedBeforeBackup: ok.filter((o) => o.completedAt < backup.started).length,
        acknowledgedBetweenBackupAndDestroy: ok.filter((o) => o.completedAt >= backup.started && o.completedAt < destroy.started).length,
        lost: lost.length,
        lostAcknowledgedBeforeBackup: lost.filter((o) => o.completedAt < backup.started).length,
        lostAcknowledgedAfterRestore: lost.filter((o) => o.completedAt > restore.ended).length,
        lostWindowFromDestroyMs: lostAcks.length ? [rel(lostAcks[0], from), rel(lostAcks.at(-1), from)] : null,
        rpoMs: lostAcks.length ? Math.round(lostAcks.at(-1) - lostAcks[0]) : 0,
        backupToDestroyMs: Math.round(destroy.started - backup.started),
        rtoMs: rel(back.completedAt, from),
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exitCode = 1;
});
