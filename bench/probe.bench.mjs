// Cost of probing: an HTTP probe sampling 50 times a second, through the engine's own sampler,
// against a server in another process, for each `connection` mode; and, as the floor for a fresh
// connection per sample, the cheapest such client Node offers (a bare `net` socket writing one
// HTTP/1.1 request with `Connection: close` and reading to the end), driven by the same sampler;
// beside keep-alive, the same bare socket kept open (what any keep-alive client costs at least).
// CPU is the probing process's user+system time over wall time. Targets: keep-alive under 2 % of
// one core; fresh within 1.5x of the bare-socket floor measured in the same run.
// PROBE_BENCH_SECONDS (default 10) per mode. Writes bench/results/probe.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProbe } from '../dist/probes/create-probe.js';
import { Sampler } from '../dist/engine/sampler.js';
import { systemClock } from '../dist/runtime/system-clock.js';
import { silentLogger } from '../dist/domain/context.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.PROBE_BENCH_SECONDS ?? 10);
const EVERY_MS = 20;

const server = spawn(process.execPath, ['-e', `const s = require('http').createServer((q, r) => r.end('ok')); s.listen(0, '127.0.0.1', () => console.log(s.address().port))`], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = Number(await new Promise((r) => server.stdout.once('data', r)));

const driver = { name: 'process' };
const deps = { driver, runCommand: async () => ({ code: 0, stdout: '', stderr: '' }), targets: new Map(), cwd: here };
const httpProbe = (connection) => createProbe(`http-${connection}`, { http: { url: `http://127.0.0.1:${port}/`, method: 'GET', expect: {}, connection }, every: EVERY_MS, timeout: 1000 }, deps);

/** The floor: one bare socket per sample, the request written by hand, the answer read to its end. */
const REQUEST = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
const bareProbe = {
  name: 'bare-socket',
  every: EVERY_MS,
  timeout: 1000,
  sample: (ctx) =>
    new Promise((resolve) => {
      const t = ctx.clock.now();
      const s = net.connect(port, '127.0.0.1');
      let head = '';
      s.on('connect', () => s.end(REQUEST));
      s.on('data', (c) => {
        if (head.length < 12) head += c.toString('latin1', 0, 12);
      });
      s.on('error', (e) => resolve({ probe: 'bare-socket', t, ok: false, ms: ctx.clock.now() - t, error: e.message }));
      s.on('end', () => resolve({ probe: 'bare-socket', t, ok: head.startsWith('HTTP/1.1 200'), ms: ctx.clock.now() - t }));
    }),
};

/**
 * The floor for keep-alive: one bare socket kept open, the same request without `Connection: close`,
 * a sample done at the first read (the whole small answer arrives in one).
 */
const KEEP_ALIVE_REQUEST = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
function bareKeepAliveProbe() {
  let socket;
  return {
    name: 'bare-keep-alive-socket',
    every: EVERY_MS,
    timeout: 1000,
    sample: async (ctx) => {
      socket ??= await new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
      });
      const t = ctx.clock.now();
      return new Promise((resolve) => {
        socket.once('data', (c) => resolve({ probe: 'bare-keep-alive-socket', t, ok: c.toString('latin1', 0, 12) === 'HTTP/1.1 200', ms: ctx.clock.now() - t }));
        socket.write(KEEP_ALIVE_REQUEST);
      });
    },
    close: async () => socket?.destroy(),
  };
}

const ctx = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: 'bench', rng: Math.random };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `makeProbe` is called twice: stopping a sampler closes its probes (a keep-alive probe's pool with them). */
async function measure(makeProbe) {
  // Warm up (JIT, first connections), then measure.
  let sampler = new Sampler([makeProbe()], ctx, () => {});
  sampler.start();
  await sleep(1000);
  await sampler.stop();
  const samples = [];
  const probe = makeProbe();
  sampler = new Sampler([probe], ctx, (s) => samples.push(s));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  sampler.start();
  await sleep(SECONDS * 1000);
  await sampler.stop();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const ok = samples.filter((s) => s.ok).length;
  const r = {
    samples: samples.length,
    ok,
    samplesPerSecond: samples.length / (wallMs / 1000),
    cpuPercentOfOneCore: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    cpuMsPerSample: (cpu.user + cpu.system) / 1000 / samples.length,
  };
  console.log(`${probe.name}: ${r.samples} samples (${r.samplesPerSecond.toFixed(1)}/s, ${ok} ok), ${r.cpuPercentOfOneCore.toFixed(2)} % of one core, ${r.cpuMsPerSample.toFixed(3)} ms CPU per sample`);
  return r;
}

const loadBefore = os.loadavg()[0];
const modes = {};
try {
  // The floor and the fresh probe back to back, so a change in the machine's load hits both alike.
  // What sampling costs with no I/O at all: the sampler's timers and the process waking 50 times a second.
  modes.samplerAlone = await measure(() => ({ name: 'no-op', every: EVERY_MS, timeout: 1000, sample: async (c) => ({ probe: 'no-op', t: c.clock.now(), ok: true, ms: 0 }) }));
  modes.bareSocket = await measure(() => bareProbe);
  modes.fresh = await measure(() => httpProbe('fresh'));
  modes.bareKeepAlive = await measure(bareKeepAliveProbe);
  modes.keepAlive = await measure(() => httpProbe('keep-alive'));
} finally {
  server.kill();
}

const healthy = (m) => m.samplesPerSecond > 45 && m.ok === m.samples;
const ratio = modes.fresh.cpuPercentOfOneCore / modes.bareSocket.cpuPercentOfOneCore;
const result = {
  bench: 'probe',
  seconds: SECONDS,
  environment: { loadAverage1m: { start: Number(loadBefore.toFixed(2)), end: Number(os.loadavg()[0].toFixed(2)) }, node: process.version, cpus: os.cpus().length },
  modes,
  targets: [
    { name: `HTTP probe at 50 samples/s, connection: keep-alive, CPU (a bare kept-alive socket: ${modes.bareKeepAlive.cpuPercentOfOneCore.toFixed(2)} %; the sampler alone: ${modes.samplerAlone.cpuPercentOfOneCore.toFixed(2)} %)`, value: modes.keepAlive.cpuPercentOfOneCore, unit: '% of one core', target: '< 2', pass: modes.keepAlive.cpuPercentOfOneCore < 2 && healthy(modes.keepAlive) },
    { name: `HTTP probe at 50 samples/s, connection: fresh, CPU vs a bare socket per sample (${modes.bareSocket.cpuPercentOfOneCore.toFixed(2)} %)`, value: ratio, unit: 'x', target: '<= 1.5', pass: ratio <= 1.5 && healthy(modes.fresh) && healthy(modes.bareSocket) },
    { name: 'HTTP probe at 50 samples/s, connection: fresh, CPU', value: modes.fresh.cpuPercentOfOneCore, unit: '% of one core', target: 'reported', pass: healthy(modes.fresh) },
  ],
};
result.pass = result.targets.every((t) => t.pass);
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'probe.json'), JSON.stringify(result, null, 2) + '\n');
for (const t of result.targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value.toFixed(2)} ${t.unit} (target ${t.target})`);
