// Fault proxy benchmark: what the proxy costs when idle, how exactly it injects latency, and how
// much it can carry. Three processes, as in a real run: the upstream servers, the proxy (faultline)
// and the client (this process) each have their own event loop.
//
//   node bench/proxy.bench.mjs            (after `npm run build`)
//   BENCH_REPEATS=5 BENCH_BULK_MB=2048 node bench/proxy.bench.mjs
//
// Writes bench/results/proxy.json. Figures are medians over the repeats.
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const LOCAL = '127.0.0.1';
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const PING_ROUNDS = Number(process.env.BENCH_PING_ROUNDS ?? 5000);
const PING_WARMUP = 500;
const LATENCY_MS = 100;
const LATENCY_CONNECTIONS = 8;
const LATENCY_ROUNDS_EACH = 25; // 8 x 25 = 200 round trips, ~2.5 s
const BULK_BYTES = Number(process.env.BENCH_BULK_MB ?? 2048) * 1024 * 1024;
const MESSAGE = Buffer.alloc(32, 0x61);
/** For profiling one part alone, e.g. BENCH_PHASES=bulk; a partial run does not write results. */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'idle,latency,bulk').split(','));
const FULL = ['idle', 'latency', 'bulk'].every((p) => PHASES.has(p));

const TARGETS = {
  addedP50Ms: 0.1,
  latencyP50OverMs: 0.5,
  latencyP99OverMs: 1,
  proxyThroughputGBps: 1,
};

// ------------------------------------------------------------------ child roles

async function serveRole() {
  const echo = net.createServer((s) => {
    s.setNoDelay(true);
    s.on('error', () => {});
    s.on('data', (c) => s.write(c));
  });
  const sink = net.createServer({ allowHalfOpen: true }, (s) => {
    let n = 0;
    s.on('error', () => {});
    s.on('data', (c) => {
      n += c.length;
    });
    s.on('end', () => s.end(String(n)));
  });
  await Promise.all([echo, sink].map((srv) => new Promise((r) => srv.listen(0, LOCAL, r))));
  process.send({ echo: echo.address().port, sink: sink.address().port });
  process.on('disconnect', () => process.exit(0));
}

async function proxyRole() {
  const { FaultProxy } = await import(path.join(here, '../dist/proxy/index.js'));
  const proxy = new FaultProxy({ rng: mulberry32(1) });
  process.on('message', async (m) => {
    try {
      let result = null;
      if (m.op === 'addLink') {
        await proxy.addLink(m.name, { host: LOCAL, port: 0 }, { host: LOCAL, port: m.port });
        result = proxy.address(m.name).port;
      } else if (m.op === 'impair') result = proxy.impair(m.link, m.impairment);
      else if (m.op === 'removeAll') proxy.removeAll();
      else if (m.op === 'close') await proxy.close();
      process.send({ id: m.id, result });
    } catch (e) {
      process.send({ id: m.id, error: String(e?.message ?? e) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------------------ client side

function spawn(role) {
  const child = fork(fileURLToPath(import.meta.url), [role], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const first = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${role} child exited with ${code}`)));
  });
  let next = 1;
  const waiting = new Map();
  child.on('message', (m) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  const call = (msg) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ ...msg, id });
    });
  return { child, first, call };
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: LOCAL, port });
    s.setNoDelay(true);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Sequential round trips of a 32-byte message; returns each RTT in ms. */
function pingPong(s, rounds) {
  return new Promise((resolve) => {
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
        resolve(Array.from(rtts));
      } else send();
    };
    s.on('data', onData);
    send();
  });
}

async function pingSeries(port, rounds) {
  const s = await connect(port);
  await pingPong(s, PING_WARMUP);
  const rtts = await pingPong(s, rounds);
  s.destroy();
  return rtts;
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
  s.end();
  const received = await answer;
  const seconds = (performance.now() - t0) / 1000;
  s.destroy();
  if (received !== bytes) throw new Error(`sink received ${received} of ${bytes} bytes`);
  return bytes / seconds / 1e9;
}

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

async function oneRepeat(proxy, ports, r) {
  const out = {};
  if (PHASES.has('idle')) await idlePhase(ports, out);
  if (PHASES.has('latency')) await latencyPhase(proxy, ports, out);
  if (PHASES.has('bulk')) {
    // (3) throughput, one stream each way of reaching the sink; which goes first alternates.
    if (r % 2 === 0) {
      out.directGBps = await bulk(ports.sink, BULK_BYTES);
      out.proxyGBps = await bulk(ports.proxiedSink, BULK_BYTES);
    } else {
      out.proxyGBps = await bulk(ports.proxiedSink, BULK_BYTES);
      out.directGBps = await bulk(ports.sink, BULK_BYTES);
    }
  }
  console.log(`repeat ${r + 1}/${REPEATS}: ${Object.entries(out).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
  return out;
}

async function idlePhase(ports, out) {
  // (1) idle cost: direct and proxied back to back, so drift on a shared machine hits both alike.
  const direct = await pingSeries(ports.echo, PING_ROUNDS);
  const through = await pingSeries(ports.proxiedEcho, PING_ROUNDS);
  out.directP50Ms = quantile(direct, 0.5);
  out.directP99Ms = quantile(direct, 0.99);
  out.proxyP50Ms = quantile(through, 0.5);
  out.proxyP99Ms = quantile(through, 0.99);
  out.addedP50Ms = out.proxyP50Ms - out.directP50Ms;
  out.addedP99Ms = out.proxyP99Ms - out.directP99Ms;
}

/**
 * Each of several connections does sequential round trips, sleeping `gapMs` before each one. Their
 * starts are staggered across one delay period, so that releases do not all fall on the same instant
 * (the proxy is one thread: simultaneous releases are written one after another).
 */
async function gappedRoundTrips(port, gapMs) {
  const sockets = await Promise.all(Array.from({ length: LATENCY_CONNECTIONS }, () => connect(port)));
  const per = await Promise.all(
    sockets.map(async (s, i) => {
      await new Promise((r) => setTimeout(r, (i * LATENCY_MS) / LATENCY_CONNECTIONS));
      const rtts = [];
      for (let i = 0; i < LATENCY_ROUNDS_EACH; i++) {
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        rtts.push(...(await pingPong(s, 1)));
      }
      return rtts;
    }),
  );
  sockets.forEach((s) => s.destroy());
  return per.flat();
}

async function latencyPhase(proxy, ports, out) {
  // (2) injected latency on the client -> upstream direction only, so the RTT grows by exactly it.
  await proxy.call({ op: 'impair', link: 'echo', impairment: { kind: 'latency', delayMs: LATENCY_MS, jitterMs: 0, direction: 'up' } });
  const rtts = await gappedRoundTrips(ports.proxiedEcho, 0);
  await proxy.call({ op: 'removeAll' });
  // Two baselines. "hot": the back-to-back direct p50 of phase 1. "matched": direct round trips that,
  // like the delayed ones, start after ~100 ms of silence, so every process on the path has gone idle
  // and pays its wake-up; the difference is what the proxy itself adds to the injected delay.
  const hot = out.directP50Ms ?? median(await pingSeries(ports.echo, 1000));
  const matched = median(await gappedRoundTrips(ports.echo, LATENCY_MS));
  out.latencyRoundTrips = rtts.length;
  out.directGappedP50Ms = matched;
  out.latencyExcessP50Ms = quantile(rtts, 0.5) - matched;
  out.latencyExcessP99Ms = quantile(rtts, 0.99) - matched;
  out.latencyExcessMinMs = Math.min(...rtts) - matched;
  out.latencyExcessVsHotP50Ms = quantile(rtts, 0.5) - hot;
  out.latencyExcessVsHotP99Ms = quantile(rtts, 0.99) - hot;
}

async function main() {
  const servers = spawn('--serve');
  const proxy = spawn('--proxy');
  try {
    const [upstream] = await Promise.all([servers.first, proxy.first]);
    const ports = {
      echo: upstream.echo,
      sink: upstream.sink,
      proxiedEcho: await proxy.call({ op: 'addLink', name: 'echo', port: upstream.echo }),
      proxiedSink: await proxy.call({ op: 'addLink', name: 'sink', port: upstream.sink }),
    };
    const loadBefore = os.loadavg();
    const runs = [];
    for (let r = 0; r < REPEATS; r++) runs.push(await oneRepeat(proxy, ports, r));
    if (!FULL) {
      console.log('partial run (BENCH_PHASES): results not written');
      return;
    }
    const medians = {};
    for (const key of Object.keys(runs[0])) medians[key] = round(median(runs.map((x) => x[key])));
    const targets = [
      { name: 'added p50 latency, idle proxy', value: medians.addedP50Ms, unit: 'ms', target: `<= ${TARGETS.addedP50Ms}`, pass: medians.addedP50Ms <= TARGETS.addedP50Ms },
      { name: `p50 RTT excess with ${LATENCY_MS} ms injected, vs idle-matched direct`, value: medians.latencyExcessP50Ms, unit: 'ms', target: `${LATENCY_MS} .. ${LATENCY_MS + TARGETS.latencyP50OverMs}`, pass: medians.latencyExcessP50Ms >= LATENCY_MS - 0.05 && medians.latencyExcessP50Ms <= LATENCY_MS + TARGETS.latencyP50OverMs },
      { name: `p99 RTT excess with ${LATENCY_MS} ms injected, vs idle-matched direct`, value: medians.latencyExcessP99Ms, unit: 'ms', target: `<= ${LATENCY_MS + TARGETS.latencyP99OverMs}`, pass: medians.latencyExcessP99Ms <= LATENCY_MS + TARGETS.latencyP99OverMs },
      { name: `p50 RTT excess with ${LATENCY_MS} ms injected, vs the hot direct p50`, value: medians.latencyExcessVsHotP50Ms, unit: 'ms', target: `${LATENCY_MS} .. ${LATENCY_MS + TARGETS.latencyP50OverMs}`, pass: medians.latencyExcessVsHotP50Ms >= LATENCY_MS - 0.05 && medians.latencyExcessVsHotP50Ms <= LATENCY_MS + TARGETS.latencyP50OverMs },
      { name: `p99 RTT excess with ${LATENCY_MS} ms injected, vs the hot direct p50`, value: medians.latencyExcessVsHotP99Ms, unit: 'ms', target: `<= ${LATENCY_MS + TARGETS.latencyP99OverMs}`, pass: medians.latencyExcessVsHotP99Ms <= LATENCY_MS + TARGETS.latencyP99OverMs },
      { name: 'throughput through the proxy, one stream', value: medians.proxyGBps, unit: 'GB/s', target: `>= ${TARGETS.proxyThroughputGBps}`, pass: medians.proxyGBps >= TARGETS.proxyThroughputGBps },
    ];
    const result = {
      bench: 'proxy',
      date: new Date().toISOString(),
      environment: {
        // Other work on the machine skews tails; 1-minute load averages at start and end give context.
        loadAverage1m: { start: round(loadBefore[0], 2), end: round(os.loadavg()[0], 2) },
        node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown' },
      method: {
        repeats: REPEATS,
        pingRounds: PING_ROUNDS,
        pingWarmup: PING_WARMUP,
        messageBytes: MESSAGE.length,
        latencyInjectedMs: LATENCY_MS,
        latencyDirection: 'up (client -> upstream), so the RTT grows by the injected delay',
        latencyRoundTrips: LATENCY_CONNECTIONS * LATENCY_ROUNDS_EACH,
        latencyConnections: `${LATENCY_CONNECTIONS}, sequential round trips each, starts staggered by ${LATENCY_MS / LATENCY_CONNECTIONS} ms`,
        latencyExcess: 'RTT through the impaired proxy minus the p50 of direct round trips taken after the same ~100 ms of idleness (directGappedP50Ms); latencyExcessVsHot* subtract the back-to-back direct p50 instead',
        bulkBytes: BULK_BYTES,
        gigabyte: 1e9,
        processes: 'upstream servers, proxy and client each in their own Node process',
      },
      medians,
      targets,
      pass: targets.every((t) => t.pass),
      runs: runs.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)]))),
    };
    await mkdir(path.join(here, 'results'), { recursive: true });
    await writeFile(path.join(here, 'results', 'proxy.json'), `${JSON.stringify(result, null, 2)}\n`);
    for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} ${t.unit} (target ${t.target})`);
    await proxy.call({ op: 'close' });
  } finally {
    servers.child.disconnect();
    proxy.child.disconnect();
  }
}

const role = process.argv[2];
if (role === '--serve') await serveRole();
else if (role === '--proxy') await proxyRole();
else await main();
