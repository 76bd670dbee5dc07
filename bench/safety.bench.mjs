// Safety benchmarks: `faultline rollback` with 100 pending faults (target: < 10 s), and
// `faultline halt` of a live run (target: p99 < 10 s), plus the SIGKILL chaos trials at a larger
// count than CI runs. Writes bench/results/safety.json.
//
// The 100 pending faults are real: 100 processes tagged with one run id, each frozen with SIGSTOP,
// and a ledger that records a pause on each, as a runner killed mid-hold would leave it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'bin/faultline');
const out = path.join(repo, 'bench/results/safety.json');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

function faultline(args, env) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { ms: performance.now() - t0, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function rollback100() {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'fl-bench-state-'));
  const runId = `bench-${process.pid}-${Date.now()}`;
  const children = [];
  const lines = [{ type: 'run', runId, pid: 999999, hostname: hostname(), startedAt: Date.now(), experiment: 'bench-100', driver: 'process', settings: {} }];
  for (let i = 0; i < 100; i++) {
    const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore', env: { ...process.env, FAULTLINE_RUN_ID: runId, FAULTLINE_SERVICE: `s${i}`, FAULTLINE_RUNNER_PID: '999999' } });
    child.unref();
    children.push(child);
    const target = { driver: 'process', group: 'all', id: `s${i}`, name: `s${i}`, meta: {} };
    lines.push({ type: 'service', t: Date.now(), service: `s${i}`, pid: child.pid, event: 'started' });
    lines.push({ type: 'intent', t: Date.now(), fault: 'pause-1', kind: 'pause', target, expiresAt: Date.now() + 600_000 });
    lines.push({ type: 'injected', t: Date.now(), fault: 'pause-1', kind: 'pause', target, undo: { action: 'unpause', target: target.id } });
  }
  await sleep(200);
  for (const c of children) process.kill(-c.pid, 'SIGSTOP');
  mkdirSync(path.join(stateDir, 'runs'), { recursive: true });
  writeFileSync(path.join(stateDir, 'runs', `${runId}.ledger`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const r = faultline(['rollback'], { FAULTLINE_STATE_DIR: stateDir });
  // Our own children linger as zombies until reaped: only a live (non-zombie) process is a leftover.
  const left = children.filter((c) => {
    try {
      const stat = readFileSync(`/proc/${c.pid}/stat`, 'utf8');
      return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return false;
    }
  }).length;
  return { ms: r.ms, code: r.code, restored: (r.stdout.match(/100 fault\(s\) restored/) ? 100 : 0), processesLeft: left };
}

async function haltOnce(i) {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'fl-bench-state-'));
  const port = 27700 + (i % 20) * 4;
  const file = path.join(stateDir, 'long.yaml');
  writeFileSync(
    file,
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: halt-bench }
spec:
  driver: process
  services:
    primary: { command: [node, ${path.join(repo, 'examples/kv/server.js')}, --role=primary, --port=${port}], ready: { tcp: 127.0.0.1:${port} } }
  links:
    to-primary: { to: primary, listen: 127.0.0.1:${port + 1}, upstream: 127.0.0.1:${port} }
  targets:
    primary: { selector: { names: [primary] } }
  faults:
    - pause: { target: primary }
      for: 5m
    - latency: { target: primary, delay: 100ms }
      for: 5m
  observe: { steadyState: 100ms }
`,
  );
  const env = { ...process.env, FAULTLINE_STATE_DIR: stateDir };
  const run = spawn(process.execPath, [cli, 'run', file, '--out', path.join(stateDir, 'out')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  run.stderr.on('data', (c) => (err += c));
  while (!/inject latency/.test(err) || !/inject pause/.test(err)) await sleep(20);
  const exited = new Promise((r) => run.on('exit', r));
  const h = faultline(['halt'], { FAULTLINE_STATE_DIR: stateDir });
  const code = await exited;
  faultline(['halt', '--release'], { FAULTLINE_STATE_DIR: stateDir });
  return { ms: h.ms, code: h.code, runExit: code };
}

const rollbacks = [];
for (let i = 0; i < 3; i++) rollbacks.push(await rollback100());
const halts = [];
for (let i = 0; i < 20; i++) halts.push(await haltOnce(i));

const chaosTrials = Number(process.env.FAULTLINE_BENCH_CHAOS_TRIALS ?? 60);
const chaos = spawnSync('npx', ['vitest', 'run', 'test/safety/kill9-chaos.test.ts'], { cwd: repo, env: { ...process.env, FAULTLINE_CHAOS_TRIALS: String(chaosTrials) }, encoding: 'utf8' });
const chaosLine = /chaos: (\d+) trials .* leftovers found: (\d+)/.exec(chaos.stdout + chaos.stderr);

const rollbackMedian = median(rollbacks.map((r) => r.ms));
const haltP99 = pct(halts.map((h) => h.ms), 99);
const result = {
  bench: 'safety',
  rollback100: { runs: rollbacks, median_ms: rollbackMedian },
  halt: { runs: halts, p50_ms: median(halts.map((h) => h.ms)), p99_ms: haltP99 },
  chaos: { trialsPerKind: chaosTrials, trials: chaosLine ? Number(chaosLine[1]) : null, leftovers: chaosLine ? Number(chaosLine[2]) : null },
  targets: [
    { name: 'rollback of 100 pending faults (median)', value: rollbackMedian, unit: 'ms', target: '< 10000', pass: rollbackMedian < 10_000 && rollbacks.every((r) => r.processesLeft === 0 && r.code === 0) },
    { name: 'halt of a live run (p99)', value: haltP99, unit: 'ms', target: '< 10000', pass: haltP99 < 10_000 && halts.every((h) => h.code === 0 && h.runExit === 130) },
    { name: `SIGKILL chaos trials (${chaosTrials} per kind), leftovers`, value: chaosLine ? Number(chaosLine[2]) : -1, unit: 'count', target: '0', pass: chaosLine !== null && Number(chaosLine[2]) === 0 },
  ],
};
result.pass = result.targets.every((t) => t.pass);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result.targets, null, 2));
