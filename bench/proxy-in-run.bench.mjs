// The fault proxy the way users get it: a link of a live `faultline run` (process driver, the CLI,
// so the proxy is loaded through the package root and shares its process with the sampler, the
// journal and the rest of the runner), side by side with Toxiproxy 2.1.4 in the same minute.
//
//   node bench/proxy-in-run.bench.mjs                    (after `npm run build`)
//   BENCH_RUN_NODE_FLAGS=--trace-gc BENCH_RUN_LOG=/tmp/run.log node bench/proxy-in-run.bench.mjs
//                                  (flags for the runner's node; its output kept in BENCH_RUN_LOG)
//
// Three lines, each measured twice in one run: before any fault, and after a 100 ms latency fault
// was injected and reverted on the same link (the idle link must cost nothing either time):
//   - single-stream throughput (BENCH_BULK_MB per stream, 3 streams each, alternating with the peer)
//   - hot request/response loop RTT p50/p99 (9 trials of 2,000 round trips each, alternating)
//   - keep-alive request/response with 20 ms gaps, added latency over a direct connection that
//     sees the same gaps (direct, faultline and Toxiproxy take turns on one connection each)
// Toxiproxy is looked for in $FAULTLINE_PEERS, ../shared/peers or ../../shared/peers; without it
// the faultline figures are still taken and the ratios are skipped with a note.
// Writes bench/results/proxy-in-run.json.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const LOCAL = '127.0.0.1';
const BULK_BYTES = Number(process.env.BENCH_BULK_MB ?? 1024) * 1024 * 1024;
const BULK_TRIALS = 3;
const HOT_TRIALS = 9;
const HOT_ROUNDS = 2000;
const HOT_WARMUP = 300;
const GAP_MS = 20;
const GAP_ROUNDS = Number(process.env.BENCH_GAP_ROUNDS ?? 200);
const LATENCY_MS = 100;
/** Steady state of the run: the "before" phase must fit in it (the bench checks that it did). */
const BEFORE_S = Number(process.env.BENCH_BEFORE_S ?? 60);
const MESSAGE = Buffer.alloc(32, 0x61);

// ------------------------------------------------------------------ the run's service: echo and sink

async function serveRole(echoPort, sinkPort) {
  const echo = net.createServer((s) => {
    s.setNoDelay(true);
    s.on('error', () => {});
    s.on('data', (c) => s.write(c));
  });
  // The sender announces its byte count first (8 bytes) and the sink answers when all arrived: no
  // half-close, which Toxiproxy does not pass through.
  const sink = net.createServer((s) => {
    let expected = -1;
    let n = 0;
    s.on('error', () => {});
    s.on('data', (c) => {
      if (expected < 0) {
        expected = Number(c.readBigUInt64BE(0));
        n -= 8;
      }
      n += c.length;
      if (n === expected) s.end(String(n));
    });
  });
  await Promise.all([[echo, echoPort], [sink, sinkPort]].map(([srv, port]) => new Promise((r) => srv.listen(port, LOCAL, r))));
}

// ------------------------------------------------------------------ client primitives

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: LOCAL, port });
    s.setNoDelay(true);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, LOCAL, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Sequential round trips of a 32-byte message; returns each RTT in ms. */
function pingPong(s, rounds) {
  return new Promise((resolve, reject) => {
    const rtts = new Float64Array(rounds);
    let i = 0;
    let got = 0;
    let t0 = 0;
    const send = () => {
      got = 0;
      t0 = performance.now();
      s.write(MESSAGE);
    };
    const onData = (c) => {
      got += c.length;
      if (got < MESSAGE.length) return;
      rtts[i++] = performance.now() - t0;
      if (i === rounds) {
        s.off('data', onData);
        s.off('close', onClose);
        resolve(Array.from(rtts));
      } else send();
    };
    const onClose = () => reject(new Error('connection closed during round trips'));
    s.on('data', onData);
    s.once('close', onClose);
    send();
  });
}

/** Sends `bytes` to the sink and waits for its count; returns GB/s (1 GB = 1e9 bytes). */
async function bulk(port, bytes) {
  const s = await connect(port);
  const block = Buffer.alloc(1 << 20, 0x5a);
  const t0 = performance.now();
  const answer = new Promise((resolve, reject) => {
    let text = '';
    s.on('data', (c) => (text += c));
    s.on('end', () => resolve(Number(text)));
    s.on('error', reject);
  });
  const header = Buffer.alloc(8);
  header.writeBigUInt64BE(BigInt(bytes));
  s.write(header);
  let left = bytes;
  await new Promise((resolve) => {
    const more = () => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!s.write(n === block.length ? block : block.subarray(0, n))) {
          s.once('drain', more);
          return;
        }
      }
      resolve();
    };
    more();
  });
  const received = await answer;
  const seconds = (performance.now() - t0) / 1000;
  s.destroy();
  if (received !== bytes) throw new Error(`sink received ${received} of ${bytes} bytes`);
  return bytes / seconds / 1e9;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function quantile(values, q) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}
const median = (values) => quantile(values, 0.5);
const round = (x, digits = 4) => Number(x.toFixed(digits));

// ------------------------------------------------------------------ Toxiproxy

function findToxiproxy() {
  const candidates = [process.env.FAULTLINE_PEERS, path.join(root, '../shared/peers'), path.join(root, '../../shared/peers')].filter(Boolean);
  const dir = candidates.find((d) => existsSync(path.join(d, 'bin/toxiproxy-server')));
  if (!dir) return { note: `no Toxiproxy peer (bin/toxiproxy-server) in ${candidates.join(', ')}` };
  const versions = existsSync(path.join(dir, 'VERSIONS')) ? readFileSync(path.join(dir, 'VERSIONS'), 'utf8').split('\n').find((l) => /toxiproxy/i.test(l))?.trim() : undefined;
  return { server: path.join(dir, 'bin/toxiproxy-server'), version: versions };
}

async function startToxiproxy(binary, upstreams) {
  const apiPort = await freePort();
  const child = spawn(binary, ['-host', LOCAL, '-port', String(apiPort)], { stdio: ['ignore', 'ignore', 'ignore'] });
  const api = `http://${LOCAL}:${apiPort}`;
  const deadline = performance.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${api}/version`)).ok) break;
    } catch {}
    if (performance.now() > deadline || child.exitCode !== null) throw new Error('toxiproxy-server did not answer within 10 s');
    await sleep(20);
  }
  const ports = {};
  for (const [name, upstream] of Object.entries(upstreams)) {
    const listen = await freePort();
    const res = await fetch(`${api}/proxies`, { method: 'POST', body: JSON.stringify({ name, listen: `${LOCAL}:${listen}`, upstream: `${LOCAL}:${upstream}`, enabled: true }) });
    if (!res.ok) throw new Error(`toxiproxy: creating proxy ${name}: ${res.status} ${await res.text()}`);
    ports[name] = listen;
  }
  const toxic = async (proxy, method, body) => {
    const url = method === 'DELETE' ? `${api}/proxies/${proxy}/toxics/delay` : `${api}/proxies/${proxy}/toxics`;
    const res = await fetch(url, { method, body: body && JSON.stringify(body) });
    if (!res.ok) throw new Error(`toxiproxy: ${method} toxic on ${proxy}: ${res.status} ${await res.text()}`);
  };
  return {
    ports,
    /** The same fault as faultline's: 100 ms toward the upstream, then removed. */
    async injectAndRevert(proxy, probePort) {
      await toxic(proxy, 'POST', { name: 'delay', type: 'latency', stream: 'upstream', attributes: { latency: LATENCY_MS, jitter: 0 } });
      await waitForRtt(probePort, (rtt) => rtt >= LATENCY_MS * 0.9, 10_000, 'the Toxiproxy latency toxic to take effect');
      await toxic(proxy, 'DELETE');
      await waitForRtt(probePort, (rtt) => rtt < LATENCY_MS / 5, 10_000, 'the Toxiproxy latency toxic to go');
    },
    stop: () => child.kill('SIGKILL'),
  };
}

// ------------------------------------------------------------------ the faultline run

function experimentYaml(ports) {
  return `apiVersion: faultline/v1
kind: Experiment
metadata:
  name: proxy-in-run-bench
spec:
  driver: process
  seed: 1
  services:
    upstream:
      command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(fileURLToPath(import.meta.url))}, --serve, "${ports.echo}", "${ports.sink}"]
      ready: { tcp: "${LOCAL}:${ports.sink}" }
  links:
    echo: { to: upstream, listen: "${LOCAL}:${ports.linkEcho}", upstream: "${LOCAL}:${ports.echo}" }
    sink: { to: upstream, listen: "${LOCAL}:${ports.linkSink}", upstream: "${LOCAL}:${ports.sink}" }
  targets:
    upstream: { selector: { names: [upstream] } }
  probes:
    alive: { tcp: { address: "${LOCAL}:${ports.echo}" }, every: 100ms, timeout: 1s }
  steadyState: [alive]
  faults:
    - latency: { target: upstream, delay: ${LATENCY_MS}ms, direction: to }
      for: 2s
  observe: { steadyState: ${BEFORE_S}s, recoveryWindow: 30m, stopWhenRecovered: false }
`;
}

/** Polls one round trip at a time on a fresh connection until `ok(rtt)`, or throws after `ms`. */
async function waitForRtt(port, ok, ms, what) {
  const deadline = performance.now() + ms;
  let s;
  for (;;) {
    try {
      s ??= await connect(port);
      const [rtt] = await pingPong(s, 1);
      if (ok(rtt)) break;
    } catch {
      s?.destroy();
      s = undefined;
    }
    if (performance.now() > deadline) {
      s?.destroy();
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(5);
  }
  s.destroy();
}

function startRun(dir, file) {
  const flags = (process.env.BENCH_RUN_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  // The executable as a user's shell starts it (from the start-up snapshot, docs/start-up.md);
  // node flags need `node bin/faultline`, the plain start.
  const runArgs = ['run', file, '--quiet', '--out', path.join(dir, 'runs'), '--state-dir', path.join(dir, 'state')];
  const bin = path.join(root, 'bin/faultline');
  const child = spawn(...(flags.length ? [process.execPath, [...flags, bin, ...runArgs]] : [bin, runArgs]), {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited, output: () => output };
}

// ------------------------------------------------------------------ one phase: all three lines

async function measurePhase(name, ports, toxi) {
  const subjects = [['faultline', ports.linkEcho, ports.linkSink]];
  if (toxi) subjects.push(['toxiproxy', toxi.ports.echo, toxi.ports.sink]);
  const out = { phase: name, faultline: {}, toxiproxy: toxi ? {} : undefined };

  // Throughput: one stream at a time, the peer and faultline alternating which goes first.
  const gbps = { faultline: [], toxiproxy: [] };
  for (let t = 0; t < BULK_TRIALS; t++) {
    const order = t % 2 === 0 ? subjects : [...subjects].reverse();
    for (const [who, , sink] of order) gbps[who].push(await bulk(sink, BULK_BYTES));
  }

  // Hot loop: a fresh connection per trial, alternating.
  const hot = { faultline: { p50: [], p99: [] }, toxiproxy: { p50: [], p99: [] } };
  for (let t = 0; t < HOT_TRIALS; t++) {
    const order = t % 2 === 0 ? subjects : [...subjects].reverse();
    for (const [who, echo] of order) {
      const s = await connect(echo);
      await pingPong(s, HOT_WARMUP);
      const rtts = await pingPong(s, HOT_ROUNDS);
      s.destroy();
      hot[who].p50.push(quantile(rtts, 0.5));
      hot[who].p99.push(quantile(rtts, 0.99));
    }
  }

  // Keep-alive with gaps: one connection each, taking turns, so every path sees the same idleness.
  const gapped = [['direct', ports.echo], ...subjects.map(([who, echo]) => [who, echo])];
  const sockets = await Promise.all(gapped.map(([, port]) => connect(port)));
  const rtts = Object.fromEntries(gapped.map(([who]) => [who, []]));
  for (let i = 0; i < GAP_ROUNDS; i++) {
    for (let k = 0; k < gapped.length; k++) {
      const j = (i + k) % gapped.length;
      await sleep(GAP_MS / gapped.length);
      rtts[gapped[j][0]].push(...(await pingPong(sockets[j], 1)));
    }
  }
  sockets.forEach((s) => s.destroy());

  const all = [...Object.values(rtts).flat(), ...hot.faultline.p99, ...hot.toxiproxy.p99];
  if (Math.max(...all) >= LATENCY_MS * 0.9) {
    throw new Error(`a round trip of ${Math.max(...all).toFixed(1)} ms in the ${name} phase: the fault was active while measuring (raise BENCH_BEFORE_S)`);
  }
  for (const [who] of subjects) {
    out[who] = {
      gbps: median(gbps[who]),
      hotP50Ms: median(hot[who].p50),
      hotP99Ms: median(hot[who].p99),
      gapAddedP50Ms: quantile(rtts[who], 0.5) - quantile(rtts.direct, 0.5),
      gapAddedP99Ms: quantile(rtts[who], 0.99) - quantile(rtts.direct, 0.99),
      trials: { gbps: gbps[who].map((x) => round(x)), hotP50Ms: hot[who].p50.map((x) => round(x)), hotP99Ms: hot[who].p99.map((x) => round(x)) },
    };
  }
  out.directGapP50Ms = quantile(rtts.direct, 0.5);
  const f = out.faultline;
  const p = out.toxiproxy;
  console.log(
    `${name}: faultline ${f.gbps.toFixed(3)} GB/s, hot p50/p99 ${f.hotP50Ms.toFixed(3)}/${f.hotP99Ms.toFixed(3)} ms, gap added p50/p99 ${f.gapAddedP50Ms.toFixed(3)}/${f.gapAddedP99Ms.toFixed(3)} ms` +
      (p ? ` | toxiproxy ${p.gbps.toFixed(3)} GB/s, ${p.hotP50Ms.toFixed(3)}/${p.hotP99Ms.toFixed(3)} ms, ${p.gapAddedP50Ms.toFixed(3)}/${p.gapAddedP99Ms.toFixed(3)} ms` : ''),
  );
  return out;
}

function targetsOf(phase) {
  const f = phase.faultline;
  const p = phase.toxiproxy;
  const n = phase.phase;
  const t = [{ name: `in a run, ${n}: throughput, one stream`, value: round(f.gbps), unit: 'GB/s', target: '>= 1', pass: f.gbps >= 1 }];
  if (!p) return t;
  const ratio = (a, b) => round(a / b, 2);
  t.push(
    { name: `in a run, ${n}: throughput vs Toxiproxy (${round(p.gbps)} GB/s)`, value: ratio(f.gbps, p.gbps), unit: 'x', target: '>= 1', pass: f.gbps >= p.gbps },
    { name: `in a run, ${n}: hot loop RTT p50 (Toxiproxy ${round(p.hotP50Ms)} ms)`, value: round(f.hotP50Ms), unit: 'ms', target: `<= ${round(p.hotP50Ms)}`, pass: f.hotP50Ms <= p.hotP50Ms },
    { name: `in a run, ${n}: hot loop RTT p99 (Toxiproxy ${round(p.hotP99Ms)} ms)`, value: round(f.hotP99Ms), unit: 'ms', target: `<= ${round(p.hotP99Ms)}`, pass: f.hotP99Ms <= p.hotP99Ms },
    { name: `in a run, ${n}: ${GAP_MS} ms gaps, added p50 (Toxiproxy ${round(p.gapAddedP50Ms)} ms)`, value: round(f.gapAddedP50Ms), unit: 'ms', target: `<= ${round(p.gapAddedP50Ms)}`, pass: f.gapAddedP50Ms <= p.gapAddedP50Ms },
    { name: `in a run, ${n}: ${GAP_MS} ms gaps, added p99 (Toxiproxy ${round(p.gapAddedP99Ms)} ms)`, value: round(f.gapAddedP99Ms), unit: 'ms', target: `<= ${round(p.gapAddedP99Ms)}`, pass: f.gapAddedP99Ms <= p.gapAddedP99Ms },
  );
  return t;
}

async function main() {
  const peer = findToxiproxy();
  if (peer.note) console.log(`note: ${peer.note}; faultline figures only`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faultline-proxy-in-run-'));
  const ports = { echo: await freePort(), sink: await freePort(), linkEcho: await freePort(), linkSink: await freePort() };
  const file = path.join(dir, 'proxy-in-run.yaml');
  await writeFile(file, experimentYaml(ports));
  const loadBefore = os.loadavg();
  let toxi;
  const run = startRun(dir, file);
  try {
    const ended = run.exited.then((code) => {
      throw new Error(`the run ended early (${code}):\n${run.output()}`);
    });
    ended.catch(() => {});
    const guard = (p) => Promise.race([p, ended]);
    await guard(waitForRtt(ports.linkEcho, () => true, 30_000, 'the run to start forwarding'));
    if (peer.server) toxi = await startToxiproxy(peer.server, { echo: ports.echo, sink: ports.sink });
    const phaseStart = performance.now();
    const before = await guard(measurePhase('before any fault', ports, toxi));
    const beforeSeconds = (performance.now() - phaseStart) / 1000;
    // The fault arrives when the run's steady state ends; meanwhile the peer gets the same fault.
    if (toxi) await toxi.injectAndRevert('echo', toxi.ports.echo);
    await guard(waitForRtt(ports.linkEcho, (rtt) => rtt >= LATENCY_MS * 0.9, BEFORE_S * 1000 + 30_000, 'the run to inject its latency fault'));
    await guard(waitForRtt(ports.linkEcho, (rtt) => rtt < LATENCY_MS / 5, 30_000, 'the run to revert its latency fault'));
    const after = await guard(measurePhase('after a fault was reverted', ports, toxi));
    run.child.kill('SIGINT');
    const code = await run.exited;
    if (code !== 130) throw new Error(`the interrupted run exited ${code}, not 130:\n${run.output()}`);
    const phases = [before, after];
    const targets = phases.flatMap(targetsOf);
    const result = {
      bench: 'proxy-in-run',
      date: new Date().toISOString(),
      environment: {
        loadAverage1m: { start: round(loadBefore[0], 2), end: round(os.loadavg()[0], 2) },
        node: process.version,
        cpus: os.cpus().length,
        runnerNodeFlags: process.env.BENCH_RUN_NODE_FLAGS ?? '',
      },
      peer: peer.note ? { note: peer.note } : { name: 'Toxiproxy', version: peer.version },
      method: {
        faultline: '`faultline run --quiet` of a process-driver experiment (one service: echo + sink servers; two links; a tcp probe every 100 ms); measured through its links',
        fault: `latency ${LATENCY_MS} ms toward the service for 2 s, after ${BEFORE_S} s of steady state; Toxiproxy gets a ${LATENCY_MS} ms upstream latency toxic, removed, before its "after" figures`,
        bulkBytes: BULK_BYTES,
        bulkTrials: BULK_TRIALS,
        hotTrials: `${HOT_TRIALS} x ${HOT_ROUNDS} round trips of ${MESSAGE.length} bytes (after ${HOT_WARMUP} warm-up), fresh connection per trial; medians of the per-trial p50 and p99`,
        gapped: `${GAP_ROUNDS} round trips per path with ${GAP_MS} ms gaps, direct/faultline/Toxiproxy taking turns; added = quantile through the proxy - the same quantile direct`,
        beforePhaseSeconds: round(beforeSeconds, 1),
      },
      phases: phases.map((p) => JSON.parse(JSON.stringify(p, (_k, v) => (typeof v === 'number' ? round(v) : v)))),
      targets,
      pass: targets.every((t) => t.pass),
    };
    await mkdir(path.join(here, 'results'), { recursive: true });
    await writeFile(path.join(here, 'results', 'proxy-in-run.json'), `${JSON.stringify(result, null, 2)}\n`);
    for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} ${t.unit} (target ${t.target})`);
  } finally {
    toxi?.stop();
    // For profiling: the runner's own output (e.g. with BENCH_RUN_NODE_FLAGS=--trace-gc).
    if (process.env.BENCH_RUN_LOG) await writeFile(process.env.BENCH_RUN_LOG, run.output());
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGINT');
      await run.exited;
    }
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') await serveRole(Number(process.argv[3]), Number(process.argv[4]));
else await main();
