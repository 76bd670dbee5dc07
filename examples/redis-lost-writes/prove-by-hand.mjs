#!/usr/bin/env node
// The lost writes of examples/redis-lost-writes, shown without faultline: write at a steady rate
// straight to the primary's address, cut the primary off from its replica and the Sentinels until
// they have promoted the replica, heal, wait until the old primary has been turned into a replica
// and has resynchronised, then read every acknowledged key back from the current primary.
//
//   ./up.sh [bounded] && node prove-by-hand.mjs [--rate 100] [--hold 1000] [--partition 0] [--out dir]
//
// --hold: how long the partition lasts after a Sentinel has named the new primary; --partition:
// its least length in all (10000 for the length lost-writes.yaml uses).
//
// Every wait is for a state (a Sentinel names the new primary, the old primary's ROLE says slave,
// its link is up), each with a deadline. Needs root (nsenter into the primary's network namespace).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Redis } from 'ioredis';
import { readBack, writesOf } from './read-back.mjs';

const exec = promisify(execFile);
const NET = '10.214.40';
const PRIMARY = `${NET}.10`;
const REPLICA = `${NET}.11`;
const SENTINELS = [`${NET}.21`, `${NET}.22`, `${NET}.23`];
const CHAIN = 'RLW-PARTITION';

const { values: opts } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    baseline: { type: 'string', default: '2000' },
    hold: { type: 'string', default: '1000' },
    partition: { type: 'string', default: '0' },
    tail: { type: 'string', default: '1000' },
    out: { type: 'string' },
  },
});
const rate = Number(opts.rate);
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

// --- the partition: a chain of DROP rules for the peers, in the primary's own network namespace
async function nsIptables(pid, ...args) {
  return exec('nsenter', ['-t', String(pid), '-n', 'iptables', '-w', ...args]);
}
// One iptables-restore, so that the whole cut takes effect at once.
function cut(pid) {
  const rules = [REPLICA, ...SENTINELS].flatMap((peer) => [`-A ${CHAIN} -s ${peer} -j DROP`, `-A ${CHAIN} -d ${peer} -j DROP`]);
  const text = ['*filter', `:${CHAIN} - [0:0]`, ...rules, `-I INPUT 1 -j ${CHAIN}`, `-I OUTPUT 1 -j ${CHAIN}`, 'COMMIT', ''].join('\n');
  return new Promise((resolve, reject) => {
    const child = execFile('nsenter', ['-t', String(pid), '-n', 'iptables-restore', '-w', '--noflush'], (err) => (err ? reject(err) : resolve()));
    child.stdin.end(text);
  });
}
async function heal(pid) {
  for (const hook of ['INPUT', 'OUTPUT']) await nsIptables(pid, '-D', hook, '-j', CHAIN).catch(() => {});
  await nsIptables(pid, '-F', CHAIN).catch(() => {});
  await nsIptables(pid, '-X', CHAIN).catch(() => {});
}

// --- the workload: open model, one SET of a unique key per scheduled slot, every outcome recorded
function startWriter(runId) {
  const client = new Redis({ host: PRIMARY, port: 6379, commandTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on('error', () => {});
  const history = [];
  const period = 1000 / rate;
  const start = now();
  let seq = 0;
  let inFlight = 0;
  let stopped = false;
  const pending = new Set();
  const fire = (scheduledAt) => {
    const op = { workload: 'orders', seq: seq++, type: 'write', key: `rlw:${runId}:${seq - 1}`, value: `${runId}-${seq - 1}`, scheduledAt, startedAt: null, completedAt: null, outcome: 'dropped' };
    history.push(op);
    if (inFlight >= 64) return (op.error = 'maxInFlight reached');
    inFlight++;
    op.startedAt = now();
    const p = client
      .set(op.key, op.value)
      .then((r) => (op.outcome = r === 'OK' ? 'ok' : 'fail'))
      .catch((e) => {
        // A reply from Redis (READONLY, NOREPLICAS) means it was not applied; a timeout or a lost
        // connection means it may have been.
        op.outcome = e?.name === 'ReplyError' || /Stream isn't writeable/.test(e?.message) ? 'fail' : 'unknown';
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
      client.disconnect();
    },
  };
}

const redis = (host, port = 6379) => {
  const c = new Redis({ host, port, commandTimeout: 500, maxRetriesPerRequest: 0, lazyConnect: false });
  c.on('error', () => {});
  return c;
};

const rel = (t, from) => (t == null ? null : Math.round(t - from));

async function main() {
  const oldPrimary = redis(PRIMARY);
  const replica = redis(REPLICA);
  const sentinels = SENTINELS.map((s) => redis(s, 26379));
  try {
    await prove(oldPrimary, replica, sentinels);
  } finally {
    [oldPrimary, replica, ...sentinels].forEach((c) => c.disconnect());
  }
}

async function prove(oldPrimary, replica, sentinels) {
  const { stdout: pidOut } = await exec('docker', ['inspect', '-f', '{{.State.Pid}}', 'rlw-primary']);
  const pid = Number(pidOut.trim());
  const role = await oldPrimary.role();
  if (role[0] !== 'master' || role[2].length !== 1) throw new Error(`rlw-primary is not a master with one replica (ROLE ${JSON.stringify(role)}): run ./up.sh first`);
  const [, minReplicas] = await oldPrimary.config('GET', 'min-replicas-to-write');
  const [, maxLag] = await oldPrimary.config('GET', 'min-replicas-max-lag');
  const bounded = Number(minReplicas) > 0;
  log(`rlw-primary is master, replica in sync; ${bounded ? `bounded: min-replicas-to-write ${minReplicas}, min-replicas-max-lag ${maxLag}s` : 'unbounded (asynchronous replication, no min-replicas)'}`);

  const runId = Math.random().toString(36).slice(2, 8);
  const writer = startWriter(runId);
  const marks = {};
  let healed = false;
  let early;
  try {
    log(`writing ${rate}/s straight to ${PRIMARY}:6379`);
    await sleep(Number(opts.baseline));
    const cutStart = now();
    await cut(pid);
    // Times below are measured from the moment the cut was in place (it took effect between these).
    marks.cut = now();
    marks.cutTookMs = Math.round(marks.cut - cutStart);
    log(`partition: rlw-primary cut off from ${[REPLICA, ...SENTINELS].join(', ')} (the host still reaches it)`);

    const mastersNow = () => Promise.all(sentinels.map((s) => s.sentinel('get-master-addr-by-name', 'mymaster').then((a) => a?.[0]).catch(() => null)));
    await until('a Sentinel names the replica as the new primary', 60_000, async () => (await mastersNow()).includes(REPLICA));
    marks.failover = now();
    log(`failover: a Sentinel names ${REPLICA} as primary, ${rel(marks.failover, marks.cut)} ms after the cut`);
    await until('the promoted replica says ROLE master', 30_000, async () => (await replica.role())[0] === 'master');
    // Held for --hold after the failover, and at least --partition in all.
    await sleep(Math.max(Number(opts.hold), marks.cut + Number(opts.partition) - now()));

    const ackedSoFar = writer.history.filter((o) => o.outcome === 'ok');
    await heal(pid);
    healed = true;
    marks.heal = now();
    log(`healed after ${rel(marks.heal, marks.cut)} ms of partition`);
    early = { fromOldPrimary: await readBack(ackedSoFar, `redis://${PRIMARY}:6379`), fromNewPrimary: await readBack(ackedSoFar, `redis://${REPLICA}:6379`) };
    log(`read-back right after the heal, ${ackedSoFar.length} acknowledged so far: old primary misses ${early.fromOldPrimary.lost}, new primary misses ${early.fromNewPrimary.lost}`);

    await until('rlw-primary says ROLE slave (Sentinel demoted it)', 60_000, async () => (await oldPrimary.role())[0] === 'slave');
    marks.demoted = now();
    log(`old primary demoted ${rel(marks.demoted, marks.heal)} ms after the heal`);
    await until('rlw-primary replicates from the new primary, link up', 60_000, async () => {
      const r = await oldPrimary.role();
      return r[0] === 'slave' && r[1] === REPLICA && r[3] === 'connected';
    });
    marks.synced = now();
    log(`old primary in sync with ${REPLICA} ${rel(marks.synced, marks.demoted)} ms after its demotion`);
    await sleep(Number(opts.tail));
  } finally {
    if (!healed) await heal(pid);
    await writer.stop();
  }

  const out = opts.out ?? mkdtempSync(join(tmpdir(), 'rlw-proof-'));
  const historyFile = join(out, 'history.jsonl');
  writeFileSync(historyFile, writer.history.map((o) => JSON.stringify(o)).join('\n') + '\n');

  const current = (await sentinels[0].sentinel('get-master-addr-by-name', 'mymaster'))[0];
  const writes = await writesOf(historyFile, 'orders');
  const fromCurrent = await readBack(writes, `redis://${current}:6379`);
  // Once it is a replica in sync, the old primary holds exactly what the new one holds.
  const fromOldReplica = await readBack(writes, `redis://${PRIMARY}:6379`);

  const h = writer.history;
  const count = (f) => h.filter(f).length;
  const afterCutOk = h.filter((o) => o.outcome === 'ok' && o.completedAt >= marks.cut);
  const lostAcks = fromCurrent.lostKeys.map((k) => k.ackAt).sort((a, b) => a - b);
  const firstRefusal = h.find((o) => o.outcome === 'fail' && o.completedAt >= marks.cut);
  const report = {
    variant: bounded ? `bounded (min-replicas-max-lag ${maxLag}s)` : 'unbounded',
    rate,
    operations: h.length,
    ok: count((o) => o.outcome === 'ok'),
    fail: count((o) => o.outcome === 'fail'),
    unknown: count((o) => o.outcome === 'unknown'),
    dropped: count((o) => o.outcome === 'dropped'),
    timesFromCutMs: { failover: rel(marks.failover, marks.cut), heal: rel(marks.heal, marks.cut), demoted: rel(marks.demoted, marks.cut), synced: rel(marks.synced, marks.cut) },
    cutTookMs: marks.cutTookMs,
    currentPrimary: current,
    acknowledged: fromCurrent.acknowledged,
    lost: fromCurrent.lost,
    lostPerOldPrimaryNowReplica: fromOldReplica.lost,
    recovered: fromCurrent.recovered,
    lostWindowFromCutMs: lostAcks.length ? [rel(lostAcks[0], marks.cut), rel(lostAcks.at(-1), marks.cut)] : null,
    rpoMs: lostAcks.length ? Math.round(lostAcks.at(-1) - lostAcks[0]) : 0,
    acknowledgedAfterCut: afterCutOk.length,
    lastAckAfterCutMs: afterCutOk.length ? rel(afterCutOk.at(-1).completedAt, marks.cut) : null,
    firstRefusalAfterCut: firstRefusal ? { atMs: rel(firstRefusal.completedAt, marks.cut), error: firstRefusal.error } : null,
    lostBeforeCut: lostAcks.filter((t) => t < marks.cut).length,
    readBackRightAfterHeal: { oldPrimaryMisses: early.fromOldPrimary.lost, newPrimaryMisses: early.fromNewPrimary.lost },
    history: historyFile,
  };
  console.log(JSON.stringify(report, null, 2));
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exitCode = 1;
});
