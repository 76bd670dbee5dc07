// Docker driver benchmark, against the real engine on this machine, through the built driver:
//   1. kill: driver vs a raw dockerode call in the same process vs the `docker kill` CLI (p50s, ratios)
//   2. pause/unpause p50
//   3. 200 containers killed with concurrency 16 (total, per-target latency)
//   4. reverting 50 partitioned containers at once
//   5. recovery time measured with faultline's TCP check vs the engine's own `start` event for a
//      restarting container, with the host's ARP retry left alone and with it prevented
//
//   npm run build && node bench/docker.bench.mjs        (writes bench/results/docker.json)
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import pLimit from 'p-limit';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const run = promisify(execFile);
const dist = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
const { DockerDriver } = await dist('drivers/docker/index.js');
const { tcpCheck } = await dist('probes/tcp.js');

const IMAGE = 'faultline-test/base:latest';
const BENCH = `b${Math.random().toString(36).slice(2, 9)}`;
const LABELS = { 'faultline.test': '1', 'faultline.bench': BENCH };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
const MANY = Number(process.env.BENCH_MANY ?? 200);
const PARTITIONED = Number(process.env.BENCH_PARTITIONED ?? 50);
const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 20);
const PROBE_EVERY = 20;

const docker = new Dockerode();
const ctx = {
  clock: { now: () => performance.timeOrigin + performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  signal: new AbortController().signal,
  log: { info() {}, warn() {}, error() {} },
  runId: BENCH,
  rng: Math.random,
};
const TOOLS = 'faultline-test/tools:latest';
const driver = new DockerDriver(docker, { where: 'unix:///var/run/docker.sock (default)', holderImage: TOOLS, helperImage: TOOLS });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : null;
};
const r2 = (x) => (x === null ? null : Math.round(x * 100) / 100);
const target = (id) => ({ driver: 'docker', group: 'bench', id, name: id.slice(0, 12), meta: {} });

async function container(opts = {}) {
  const c = await docker.createContainer({
    Image: IMAGE,
    Cmd: opts.cmd ?? ['sleep', '3600'],
    Labels: LABELS,
    HostConfig: { NetworkMode: opts.network ?? 'bridge', RestartPolicy: { Name: opts.restart ?? 'no' } },
  });
  await c.start();
  return c.id;
}

async function containers(n, opts) {
  const limit = pLimit(6);
  return Promise.all(Array.from({ length: n }, () => limit(() => container(opts))));
}

async function cleanup() {
  const list = await docker.listContainers({ all: true, filters: { label: [`faultline.bench=${BENCH}`] } });
  const limit = pLimit(8);
  await Promise.all(list.map((c) => limit(() => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined))));
  for (const n of await docker.listNetworks({ filters: { label: [`faultline.bench=${BENCH}`] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}

// ------------------------------------------------------------------ 1. kill: driver vs raw vs CLI

async function killComparison() {
  const ids = await containers(ROUNDS * 4);
  const viaApi = new DockerDriver(docker, { where: 'bench', kill: 'api', holderImage: TOOLS, helperImage: TOOLS });
  const times = { driver: [], driverApi: [], raw: [], cli: [] };
  const timed = async (list, fn, id) => {
    const t = performance.now();
    await fn();
    list.push(performance.now() - t);
    // Let the engine finish tearing the container down before the next call is timed.
    await docker.getContainer(id).wait({ condition: 'not-running' });
  };
  // Interleaved so that any drift of the engine over the run hits all four alike.
  for (let i = 0; i < ROUNDS; i++) {
    const [a, b, c, d] = ids.slice(i * 4, i * 4 + 4);
    await timed(times.driver, () => driver.lifecycle.kill(target(a), 'SIGKILL', ctx), a);
    await timed(times.raw, () => docker.getContainer(b).kill({ signal: 'SIGKILL' }), b);
    await timed(times.driverApi, () => viaApi.lifecycle.kill(target(c), 'SIGKILL', ctx), c);
    await timed(times.cli, () => run('docker', ['kill', '-s', 'KILL', d]), d);
  }
  const p = (q) => Object.fromEntries(Object.entries(times).map(([k, v]) => [k, pct(v, q)]));
  const p50 = p(50);
  return {
    rounds: ROUNDS,
    p50,
    p95: p(95),
    ratioToRaw: p50.driver / p50.raw,
    ratioToCli: p50.driver / p50.cli,
    apiPathRatioToRaw: p50.driverApi / p50.raw,
    note: 'driver = default kill (signal to the container init from the host: a crash, restart policies apply); driverApi = kill: api (the engine call, which waits for the stop and counts as a manual stop)',
  };
}

// ------------------------------------------------------------------ 2. pause / unpause

async function pauseUnpause() {
  const id = await container();
  const pause = [];
  const unpause = [];
  for (let i = 0; i < ROUNDS * 2; i++) {
    let t = performance.now();
    await driver.lifecycle.pause(target(id), ctx);
    pause.push(performance.now() - t);
    t = performance.now();
    await driver.lifecycle.unpause(target(id), ctx);
    unpause.push(performance.now() - t);
  }
  return { rounds: ROUNDS * 2, pauseP50: pct(pause, 50), unpauseP50: pct(unpause, 50), pauseP95: pct(pause, 95), unpauseP95: pct(unpause, 95) };
}

// ------------------------------------------------------------------ 3. 200 kills, concurrency 16

async function manyKills() {
  const ids = await containers(MANY);
  const limit = pLimit(16);
  const per = [];
  const t0 = performance.now();
  await Promise.all(
    ids.map((id) =>
      limit(async () => {
        const t = performance.now();
        await driver.lifecycle.kill(target(id), 'SIGKILL', ctx);
        per.push(performance.now() - t);
      }),
    ),
  );
  const totalMs = performance.now() - t0;
  return { containers: MANY, concurrency: 16, totalMs, perTarget: { p50: pct(per, 50), p95: pct(per, 95), max: pct(per, 100) } };
}

// ------------------------------------------------------------------ 4. revert 50 partitions

async function partitionRevert() {
  const net = `fl-bench-${BENCH}`;
  await docker.createNetwork({ Name: net, Labels: LABELS });
  const [peer] = await containers(1, { network: net });
  const ids = await containers(PARTITIONED, { network: net });
  const peerT = { ...target(peer) };
  const limit = pLimit(8);
  const undos = await Promise.all(ids.map((id) => limit(() => driver.network.partition(target(id), [peerT], 'both', ctx))));
  const t0 = performance.now();
  const results = await Promise.all(ids.map((id, i) => driver.network.restore(target(id), undos[i], ctx)));
  const ms = performance.now() - t0;
  const clean = results.every((r) => !r.vanished && !r.note);
  return { containers: PARTITIONED, revertMs: ms, clean };
}

// ------------------------------------------------------------------ 5. recovery time vs the start event

async function bridgeOf(net) {
  const info = await docker.getNetwork(net).inspect();
  return info.Options?.['com.docker.network.bridge.name'] ?? `br-${info.Id.slice(0, 12)}`;
}

async function recoveryError(preventArp) {
  const net = `fl-bench-rec-${BENCH}-${preventArp ? 'p' : 'd'}`;
  await docker.createNetwork({ Name: net, Labels: LABELS });
  const bridge = await bridgeOf(net);
  const sysctl = `net.ipv4.neigh.${bridge}.retrans_time_ms`;
  // Prevention: this bridge belongs to the bench, so its ARP retry interval can be cut to 10 ms
  // without touching any other interface. A neighbour stuck in INCOMPLETE is then re-asked
  // almost at once when the container comes back, instead of a second later.
  if (preventArp) await run('sysctl', ['-q', '-w', `${sysctl}=10`]);
  const errors = [];
  const biased = [];
  for (let i = 0; i < RESTARTS; i++) {
    // A fresh container each round: the engine backs off restarts of a container that keeps dying
    // young (100 ms, then doubling), which would measure the backoff instead of faultline.
    const id = await container({ network: net, restart: 'always', cmd: ['httpd', '-f', '-p', '7000'] });
    const info = await docker.getContainer(id).inspect();
    const address = `${info.NetworkSettings.Networks[net].IPAddress}:7000`;
    while (!(await tcpCheck(address, 200)).ok) await sleep(20);
    const events = await docker.getEvents({ filters: { container: [id], event: ['start'] } });
    const started = new Promise((resolve) => {
      let buf = '';
      events.on('data', (d) => {
        buf += d.toString();
        const line = buf.split('\n').find((l) => l.trim());
        if (line) resolve(JSON.parse(line).timeNano / 1e6);
      });
    });
    // Faultline's sampler: a check every PROBE_EVERY ms, started on the beat, overlapping if slow.
    const samples = [];
    let stop = false;
    const sampler = (async () => {
      let next = performance.now();
      while (!stop) {
        const t = performance.timeOrigin + performance.now();
        tcpCheck(address, 150).then((r) => samples.push({ t, ok: r.ok }));
        next += PROBE_EVERY;
        await sleep(Math.max(0, next - performance.now()));
      }
    })();
    await sleep(100);
    const killedAt = performance.timeOrigin + performance.now();
    // A crash, not `docker kill`: the engine ignores the restart policy of a container stopped through its API.
    process.kill(info.State.Pid, 'SIGKILL');
    const startAt = await Promise.race([started, sleep(10_000).then(() => Promise.reject(new Error('no start event within 10s: did the restart policy fire?')))]);
    events.destroy?.();
    // Wait for the first passing sample after the kill.
    const deadline = performance.now() + 5000;
    let firstOk;
    while (performance.now() < deadline) {
      firstOk = samples.filter((s) => s.ok && s.t > killedAt + 1).sort((a, b) => a.t - b.t)[0];
      if (firstOk) break;
      await sleep(10);
    }
    await sleep(200);
    stop = true;
    await sampler;
    if (!firstOk) throw new Error('the restarted container never answered');
    const err = firstOk.t - startAt;
    errors.push(err);
    if (err > 200) biased.push(r2(err));
    await docker.getContainer(id).remove({ force: true });
  }
  if (preventArp) await run('sysctl', ['-q', '-w', `${sysctl}=1000`]).catch(() => undefined);
  const abs = errors.map((e) => Math.abs(e));
  return { restarts: RESTARTS, probeEveryMs: PROBE_EVERY, errorP50: pct(errors, 50), errorP95: pct(errors, 95), absErrorP95: pct(abs, 95), max: pct(errors, 100), arpBiasedRuns: biased };
}

// ------------------------------------------------------------------ main

async function main() {
  await run('bash', [path.join(root, 'scripts/ensure-docker.sh')]);
  await run('bash', [path.join(root, 'scripts/build-test-images.sh')]);
  const out = {};
  try {
    const step = (name) => console.error(`docker bench: ${name}`);
    step('kill: driver vs raw API vs CLI');
    out.kill = await killComparison();
    await cleanup();
    step('pause/unpause');
    out.pause = await pauseUnpause();
    await cleanup();
    step('many kills');
    out.manyKills = await manyKills();
    await cleanup();
    step('partition revert');
    out.partitionRevert = await partitionRevert();
    await cleanup();
    step('recovery vs start event (default ARP)');
    out.recoveryDefaultArp = await recoveryError(false);
    await cleanup();
    step('recovery vs start event (ARP retry prevented)');
    out.recovery = await recoveryError(true);
  } finally {
    await cleanup();
    await driver.close(ctx);
  }
  const targets = [
    { name: 'kill p50 / raw API p50', value: r2(out.kill.ratioToRaw), unit: 'x', target: '<= 1.05', pass: out.kill.ratioToRaw <= 1.05 },
    { name: 'kill p50 / docker CLI p50', value: r2(out.kill.ratioToCli), unit: 'x', target: '<= 0.9', pass: out.kill.ratioToCli <= 0.9 },
    { name: 'kill (api path) p50 / raw API p50', value: r2(out.kill.apiPathRatioToRaw), unit: 'x', target: '<= 1.05', pass: out.kill.apiPathRatioToRaw <= 1.05 },
    { name: 'pause p50', value: r2(out.pause.pauseP50), unit: 'ms', target: '<= 15', pass: out.pause.pauseP50 <= 15 },
    { name: 'unpause p50', value: r2(out.pause.unpauseP50), unit: 'ms', target: '<= 15', pass: out.pause.unpauseP50 <= 15 },
    { name: `${MANY} kills, concurrency 16`, value: r2(out.manyKills.totalMs), unit: 'ms', target: '< 14000', pass: out.manyKills.totalMs < 14_000 },
    { name: `revert ${PARTITIONED} partitions`, value: r2(out.partitionRevert.revertMs), unit: 'ms', target: '< 400', pass: out.partitionRevert.revertMs < 400 && out.partitionRevert.clean },
    {
      name: 'recovery error p95 (ARP retry prevented)',
      value: r2(out.recovery.errorP95),
      unit: 'ms',
      target: `<= ${PROBE_EVERY + 3}`,
      pass: out.recovery.errorP95 <= PROBE_EVERY + 3,
    },
  ];
  const result = { bench: 'docker', engine: (await docker.version()).Version, targets, pass: targets.every((t) => t.pass), details: out };
  await mkdir(path.join(here, 'results'), { recursive: true });
  await writeFile(path.join(here, 'results', 'docker.json'), `${JSON.stringify(result, null, 2)}\n`);
  for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} ${t.unit} (target ${t.target})`);
  console.log(`recovery error with default ARP: p50 ${r2(out.recoveryDefaultArp.errorP50)} ms, p95 ${r2(out.recoveryDefaultArp.errorP95)} ms, biased runs ${JSON.stringify(out.recoveryDefaultArp.arpBiasedRuns)}`);
}

main().catch(async (err) => {
  console.error(err);
  await cleanup().catch(() => undefined);
  process.exitCode = 1;
});
