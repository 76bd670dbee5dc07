// Cost of probing: an HTTP probe sampling 50 times a second for 20 s, through the engine's own
// sampler, against a server in another process. Target: under 2% of one core (the probing
// process's user+system CPU time over wall time). Writes bench/results/probe.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProbe } from '../dist/probes/create-probe.js';
import { Sampler } from '../dist/engine/sampler.js';
import { systemClock } from '../dist/runtime/system-clock.js';
import { silentLogger } from '../dist/domain/context.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PORT = 27790;
const SECONDS = Number(process.env.PROBE_BENCH_SECONDS ?? 20);

const server = spawn(process.execPath, ['-e', `require('http').createServer((q, s) => s.end('ok')).listen(${PORT}, '127.0.0.1', () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => server.stdout.once('data', r));

const driver = { name: 'process' };
const probe = createProbe('bench', { http: { url: `http://127.0.0.1:${PORT}/`, method: 'GET', expect: {} }, every: 20, timeout: 1000 }, { driver, runCommand: async () => ({ code: 0, stdout: '', stderr: '' }), targets: new Map(), cwd: here });
const samples = [];
const ctx = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: 'bench', rng: Math.random };

// Warm up (JIT, first connections), then measure.
let sampler = new Sampler([probe], ctx, () => {});
sampler.start();
await new Promise((r) => setTimeout(r, 1000));
await sampler.stop();

sampler = new Sampler([probe], ctx, (s) => samples.push(s));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
sampler.start();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
await sampler.stop();
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
server.kill();

const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
const rate = samples.length / (wallMs / 1000);
const ok = samples.filter((s) => s.ok).length;
const result = {
  bench: 'probe',
  seconds: SECONDS,
  samples: samples.length,
  ok,
  samplesPerSecond: rate,
  cpuPercentOfOneCore: cpuPercent,
  cpuUserMs: cpu.user / 1000,
  cpuSystemMs: cpu.system / 1000,
  targets: [
    { name: 'HTTP probe at 50 samples/s, CPU', value: cpuPercent, unit: '% of one core', target: '< 2', pass: cpuPercent < 2 && rate > 45 && ok === samples.length },
  ],
};
result.pass = result.targets.every((t) => t.pass);
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'probe.json'), JSON.stringify(result, null, 2) + '\n');
console.log(`probe: ${samples.length} samples (${rate.toFixed(1)}/s), ${cpuPercent.toFixed(2)}% of one core`);
