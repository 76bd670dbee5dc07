// Docker safety benchmarks, against the real engine through the built CLI:
//   1. `faultline rollback` of 100 pending Docker faults (target < 10 s): a real run injects 100
//      held faults (25 each of pause, cpu, loss and partition, each with its holder container),
//      is killed with SIGKILL, and the rollback is timed; then nothing may remain.
//   2. `faultline halt` of a live Docker run holding a pause and a partition (target p99 < 10 s).
//   3. The Docker SIGKILL chaos trials at a larger count than CI runs (leftovers must be 0).
// Writes bench/results/docker-safety.json in the `targets` format of bench/run-all.js.
//
//   npm run build && node bench/docker-safety.bench.mjs
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'bin/faultline');
const out = path.join(repo, 'bench/results/docker-safety.json');
const IMAGE = 'faultline-test/base:latest';
// Holders and helpers from the image scripts/build-test-images.sh makes, as the tests name it.
const TOOLS_ENV = { FAULTLINE_DOCKER_HOLDER_IMAGE: 'faultline-test/tools:latest', FAULTLINE_DOCKER_HELPER_IMAGE: 'faultline-test/tools:latest' };
const BENCH = `ds${Math.random().toString(36).slice(2, 8)}`;
const LABELS = { 'faultline.test': '1', 'faultline.bench': BENCH };
const HALTS = Number(process.env.BENCH_HALTS ?? 20);
const CHAOS_TRIALS = Number(process.env.FAULTLINE_BENCH_DOCKER_CHAOS_TRIALS ?? 30);
const docker = new Dockerode();
const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const runIds = [];

function faultline(args, env) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...TOOLS_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

function startRun(file, env) {
  const child = spawn(process.execPath, [cli, 'run', file, '--out', path.join(path.dirname(file), 'out')], { env: { ...process.env, ...TOOLS_ENV, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  return { child, exited, output: () => err };
}

async function waitFor(output, test, ms) {
  const end = Date.now() + ms;
  while (!test(output())) {
    if (Date.now() > end) throw new Error(`timed out; output so far:\n${output()}`);
    await sleep(50);
  }
}

async function network(name, subnet) {
  const n = await docker.createNetwork({ Name: `${BENCH}-${name}`, Labels: LABELS, IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } });
  return { id: n.id, name: `${BENCH}-${name}` };
}

async function containers(n, net, role) {
  const ids = [];
  for (let i = 0; i < n; i += 10) {
    ids.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, async (_, j) => {
          const c = await docker.createContainer({
            Image: IMAGE,
            name: `${BENCH}-${role}-${i + j}`,
            Cmd: ['sleep', '3600'],
            StopSignal: 'SIGKILL',
            Labels: { ...LABELS, 'faultline.bench.role': role },
            HostConfig: { NetworkMode: net },
          });
          await c.start();
          return c.id;
        }),
      )),
    );
  }
  return ids;
}

/** What the run may have left on the bench's containers: anything here is a failure. */
async function leftovers(runId) {
  const found = [];
  for (const c of await docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${runId}`] } })) found.push(`holder ${c.Names[0]}`);
  for (const c of await docker.listContainers({ all: true, filters: { label: [`faultline.bench=${BENCH}`] } })) {
    const info = await docker.getContainer(c.Id).inspect();
    if (info.State.Paused || !info.State.Running) found.push(`${info.Name} ${info.State.Status}`);
    if ((info.HostConfig.CpuQuota ?? 0) > 0 || (info.HostConfig.NanoCpus ?? 0) > 0) found.push(`${info.Name} CPU limit`);
    if (info.State.Running) {
      const save = await run('nsenter', ['-t', String(info.State.Pid), '-n', 'iptables-save']).then((r) => r.stdout, () => '');
      if (/FL-/.test(save)) found.push(`${info.Name} FL- chain`);
    }
  }
  return found;
}

async function timeRollback100() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fl-dsbench-'));
  const net = await network('r100', '10.218.0.0/22');
  const victims = await containers(25, net.name, 'victim');
  await containers(1, net.name, 'peer');
  const file = path.join(dir, 'r100.yaml');
  const faults = ['pause: { target: v }', 'cpu: { target: v, cpus: 0.5 }', 'loss: { target: v, percent: 10% }', 'partition: { from: v, to: peer }'];
  writeFileSync(
    file,
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: rollback-100 }
spec:
  driver: docker
  targets:
    v: { selector: { labels: { faultline.bench.role: victim, faultline.bench: ${BENCH} } } }
    peer: { selector: { labels: { faultline.bench.role: peer, faultline.bench: ${BENCH} } } }
  faults:
${faults.map((f) => `    - ${f}\n      for: 5m`).join('\n')}
  observe: { steadyState: 50ms }
`,
  );
  const env = { FAULTLINE_STATE_DIR: path.join(dir, 'state') };
  const r = startRun(file, env);
  const t0 = Date.now();
  await waitFor(r.output, (o) => (o.match(/ inject (pause|cpu|loss|partition) /g) ?? []).length >= 4 * victims.length, 180_000);
  const injectMs = Date.now() - t0;
  r.child.kill('SIGKILL');
  await r.exited;
  const runId = readdirSync(path.join(dir, 'state', 'runs'))[0].replace(/\.ledger$/, '');
  runIds.push(runId);
  const holders = (await docker.listContainers({ filters: { label: [`faultline.run-id=${runId}`, 'faultline.holder'] } })).length;
  const rb = await faultline(['rollback', '--run', runId], env);
  const left = await leftovers(runId);
  const restored = Number(/(\d+) fault\(s\) restored/.exec(rb.stdout)?.[1] ?? 0);
  await removeBench();
  return { ms: rb.ms, code: rb.code, pending: 4 * victims.length, restored, holdersBefore: holders, injectMs, leftovers: left };
}

async function haltOnce(i, net, a, b) {
  const dir = mkdtempSync(path.join(tmpdir(), 'fl-dsbench-'));
  const file = path.join(dir, 'halt.yaml');
  writeFileSync(
    file,
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: halt-bench-${i} }
spec:
  driver: docker
  targets:
    a: { selector: { names: [${a}] } }
    b: { selector: { names: [${b}] } }
  faults:
    - pause: { target: a }
      for: 5m
    - partition: { from: b, to: a }
      for: 5m
  observe: { steadyState: 50ms }
`,
  );
  const env = { FAULTLINE_STATE_DIR: path.join(dir, 'state') };
  const r = startRun(file, env);
  await waitFor(r.output, (o) => /inject pause/.test(o) && /inject partition/.test(o), 60_000);
  const runId = readdirSync(path.join(dir, 'state', 'runs'))[0].replace(/\.ledger$/, '');
  runIds.push(runId);
  const h = await faultline(['halt'], env);
  const code = await r.exited;
  await faultline(['halt', '--release'], env);
  return { ms: h.ms, code: h.code, runExit: code, leftovers: await leftovers(runId) };
}

async function removeBench() {
  const list = await docker.listContainers({ all: true, filters: { label: [`faultline.bench=${BENCH}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  for (const id of runIds) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${id}`] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  for (const n of await docker.listNetworks({ filters: { label: [`faultline.bench=${BENCH}`] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}

const rollbacks = [];
const halts = [];
try {
  for (let i = 0; i < 3; i++) rollbacks.push(await timeRollback100());
  const net = await network('halt', '10.218.8.0/24');
  const [a, b] = await containers(2, net.name, 'halt');
  const names = await Promise.all([a, b].map(async (id) => (await docker.getContainer(id).inspect()).Name.slice(1)));
  for (let i = 0; i < HALTS; i++) halts.push(await haltOnce(i, net, names[0], names[1]));
} finally {
  await removeBench();
}

const chaos = spawnSync('npx', ['vitest', 'run', 'test/safety/docker-kill9-chaos.test.ts'], {
  cwd: repo,
  env: { ...process.env, FAULTLINE_DOCKER_CHAOS_TRIALS: String(CHAOS_TRIALS) },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const chaosLine = /docker chaos: (\d+) trials .* leftovers found: (\d+); never-started holders[^:]*: (\d+)/.exec(chaos.stdout + chaos.stderr);

const rollbackMedian = median(rollbacks.map((r) => r.ms));
const rollbackMax = Math.max(...rollbacks.map((r) => r.ms));
const haltP99 = pct(halts.map((h) => h.ms), 99);
const result = {
  bench: 'docker-safety',
  rollback100: { runs: rollbacks, median_ms: rollbackMedian, max_ms: rollbackMax },
  halt: { runs: halts, p50_ms: median(halts.map((h) => h.ms)), p99_ms: haltP99 },
  chaos: {
    trialsPerKind: CHAOS_TRIALS,
    trials: chaosLine ? Number(chaosLine[1]) : null,
    leftovers: chaosLine ? Number(chaosLine[2]) : null,
    neverStartedHolders: chaosLine ? Number(chaosLine[3]) : null,
  },
  targets: [
    {
      name: 'rollback of 100 pending Docker faults (max of 3)',
      value: rollbackMax,
      unit: 'ms',
      target: '< 10000',
      pass: rollbackMax < 10_000 && rollbacks.every((r) => r.code === 0 && r.restored === r.pending && r.leftovers.length === 0),
    },
    { name: 'halt of a live Docker run (p99)', value: haltP99, unit: 'ms', target: '< 10000', pass: haltP99 < 10_000 && halts.every((h) => h.code === 0 && h.runExit === 130 && h.leftovers.length === 0) },
    { name: `Docker SIGKILL chaos trials (${CHAOS_TRIALS} per kind), leftovers`, value: chaosLine ? Number(chaosLine[2]) : -1, unit: 'count', target: '0', pass: chaosLine !== null && Number(chaosLine[2]) === 0 && chaos.status === 0 },
  ],
};
result.pass = result.targets.every((t) => t.pass);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result.targets, null, 2));
