// Benchmark: checking a history of 1,000,000 operations (durability and per-phase stats) must take
// under 2 s and 300 MB RSS (issue 10). Plain Node ESM against the built package: run `npm run build` first.
//
// Each run is a fresh Node process (so its peak RSS is its own), timed two ways:
//   check    operations produced one at a time and fed to the WorkloadChecker with their final
//            reads (which name their write's seq): the checkers alone, as the engine calls them
//   check-by-key  the same with reads that do not name their seq, so they are joined by key
//   jsonl    the same history read back from a history.jsonl file line by line (readline +
//            JSON.parse) and checked: what a run with a million operations costs end to end
//   floor    a bare Map of the same keys, filled and looked up: what any by-key join costs on this
//            machine, so check-by-key can be told apart from the cost of hashing a million keys
// CPU time is reported beside wall time: on a shared 2-core machine wall time mostly measures the neighbours.
// The history: one workload at 5,000 writes/s for 200 s (baseline 60 s, fault 60 s, recovery 80 s);
// 1 % fail, 0.5 % unknown, 0.2 % dropped, latency 1-5 ms with a 1 s stall during the fault; every
// acknowledged and unknown write is read back, ~1,400 acknowledged ones are lost and 100 unread.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OPS = 1_000_000;
const RUNS = 3;
const TARGET_MS = 2000;
const TARGET_RSS_MB = 300;
const T0 = 1_700_000_000_000;
const BOUNDS = { baselineStart: T0, faultStart: T0 + 60_000, faultEnd: T0 + 120_000, end: T0 + 200_000 };
const checkersPath = join(root, 'dist/slo/checkers/index.js');

/** The i-th operation, computed rather than stored, so producing it costs no memory. */
function operation(i) {
  const scheduledAt = T0 + i * 0.2;
  const r = (i * 2654435761) % 1000;
  const outcome = r < 10 ? 'fail' : r < 15 ? 'unknown' : r < 17 ? 'dropped' : 'ok';
  const stalled = scheduledAt > T0 + 90_000 && scheduledAt < T0 + 91_000;
  const latency = stalled ? T0 + 91_000 - scheduledAt : 1 + (r % 5);
  const done = outcome !== 'dropped';
  return {
    workload: 'orders', seq: i, type: 'write', key: `orders-${i}`, value: `v${i}`, scheduledAt,
    startedAt: done ? scheduledAt : null, completedAt: done ? scheduledAt + latency : null, outcome,
    ...(outcome === 'ok' ? {} : { error: outcome }),
  };
}

function finalRead(op, withSeq = true) {
  const lost = op.outcome === 'ok' && op.seq % 500 === 7 && op.scheduledAt > T0 + 60_000;
  const unread = op.outcome === 'ok' && op.seq % 10_000 === 3;
  return { workload: 'orders', key: op.key, ...(withSeq ? { seq: op.seq } : {}), found: unread ? 'error' : lost ? 'absent' : 'present', at: BOUNDS.end + 1000, ...(unread ? { error: 'timeout' } : {}) };
}

async function child(mode, file) {
  const { WorkloadChecker } = await import(pathToFileURL(checkersPath).href);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  if (mode === 'floor') {
    // The floor any by-key join pays on this machine: a Map of the same keys, filled and then looked up.
    const index = new Map();
    for (let i = 0; i < OPS; i++) index.set(operation(i).key, i);
    let found = 0;
    for (let i = 0; i < OPS; i++) if (index.get(operation(i).key) !== undefined) found++;
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(JSON.stringify({ ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, found }));
    return;
  }
  const c = new WorkloadChecker('orders', BOUNDS, { readBack: true });
  if (mode === 'check' || mode === 'check-by-key') {
    for (let i = 0; i < OPS; i++) c.addOperation(operation(i));
    for (let i = 0; i < OPS; i++) {
      const op = operation(i);
      if (op.outcome === 'ok' || op.outcome === 'unknown') c.addFinalRead(finalRead(op, mode === 'check'));
    }
  } else {
    for await (const line of createInterface({ input: createReadStream(file) })) {
      const rec = JSON.parse(line);
      if ('found' in rec) c.addFinalRead(rec);
      else c.addOperation(rec);
    }
  }
  const s = c.summary();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const run = s.phases.find((p) => p.phase === 'run');
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, operations: run.operations, lost: s.durability.lost, neverRead: s.durability.neverRead, p99: run.p99, faultP99: s.phases[1].p99 }));
}

async function writeHistory(file) {
  const out = createWriteStream(file);
  const write = (rec) => (out.write(`${JSON.stringify(rec)}\n`) ? null : new Promise((r) => out.once('drain', r)));
  for (let i = 0; i < OPS; i++) await write(operation(i));
  for (let i = 0; i < OPS; i++) {
    const op = operation(i);
    if (op.outcome === 'ok' || op.outcome === 'unknown') await write(finalRead(op));
  }
  await new Promise((r) => out.end(r));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

async function main() {
  if (!existsSync(checkersPath)) {
    console.error('dist/slo/checkers/index.js is missing: run `npm run build` first');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'faultline-checkers-bench-'));
  try {
    const file = join(dir, 'history.jsonl');
    await writeHistory(file);
    const modes = {};
    for (const mode of ['check', 'check-by-key', 'jsonl', 'floor']) {
      const runs = [];
      for (let r = 0; r < RUNS; r++) {
        const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, file], { encoding: 'utf8' });
        if (res.status !== 0) throw new Error(`${mode} run failed: ${res.stderr}`);
        runs.push(JSON.parse(res.stdout));
      }
      modes[mode] = { runs, median_ms: round(median(runs.map((x) => x.ms))), median_cpu_ms: round(median(runs.map((x) => x.cpuMs))), max_rss_mb: round(Math.max(...runs.map((x) => x.maxRssMB))) };
    }
    const first = modes.check.runs[0];
    const result = {
      bench: 'checkers',
      date: new Date().toISOString(),
      loadavg: loadavg().map(round),
      operations: OPS,
      history: { operations: first.operations, lost: first.lost, neverRead: first.neverRead, runP99ms: first.p99, faultP99ms: first.faultP99 },
      modes,
      targets: [
        { name: 'check 1M operations, median wall', value: modes.check.median_ms, unit: 'ms', target: `< ${TARGET_MS}`, pass: modes.check.median_ms < TARGET_MS },
        { name: 'check 1M operations, peak RSS', value: modes.check.max_rss_mb, unit: 'MB', target: `< ${TARGET_RSS_MB}`, pass: modes.check.max_rss_mb < TARGET_RSS_MB },
        { name: 'check 1M operations, median CPU', value: modes.check.median_cpu_ms, unit: 'ms', target: 'reported', pass: true },
        { name: 'check by key CPU / a bare Map of the same keys, filled and looked up', value: round(modes['check-by-key'].median_cpu_ms / modes.floor.median_cpu_ms), unit: 'x', target: 'reported', pass: true },
        { name: 'check 1M operations, reads joined by key, median wall', value: modes['check-by-key'].median_ms, unit: 'ms', target: 'reported', pass: true },
        { name: 'check 1M operations, reads joined by key, median CPU', value: modes['check-by-key'].median_cpu_ms, unit: 'ms', target: 'reported', pass: true },
        { name: 'read history.jsonl and check, median wall', value: modes.jsonl.median_ms, unit: 'ms', target: 'reported', pass: true },
        { name: 'read history.jsonl and check, peak RSS', value: modes.jsonl.max_rss_mb, unit: 'MB', target: `< ${TARGET_RSS_MB}`, pass: modes.jsonl.max_rss_mb < TARGET_RSS_MB },
      ],
    };
    result.pass = result.targets.every((t) => t.pass);
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/checkers.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify({ ...result, modes: Object.fromEntries(Object.entries(modes).map(([k, v]) => [k, { median_ms: v.median_ms, median_cpu_ms: v.median_cpu_ms, max_rss_mb: v.max_rss_mb }])) }, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();
