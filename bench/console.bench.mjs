// Benchmark: the live console under 10 read-only viewers must cost the faultline process under
// 3 % of one core (issue 13). Plain Node ESM against the built package: run `npm run build` first.
//
// A run is simulated in this process at the rate of a busy experiment (2 probes at 5 samples/s
// each, a fault injected and reverted, three probe objectives judged as they stand every second,
// one workload's live interval every second for the console's curves) and fed to a
// JournalRecorder, twice for the same duration:
//   baseline  the recorder alone: what the run costs without a console
//   console   the same with the console serving 10 SSE viewers, who also load the page once
// The viewers live in a child process, so their own parsing is not counted. The console's cost is
// the difference in this process's CPU time (user + system) over the duration, as % of one core.
// The duration of each phase in seconds: the first argument or CONSOLE_BENCH_SECONDS (default 60;
// the 10-minute run is `node bench/console.bench.mjs 600`).
// Writes bench/results/console.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const { JournalRecorder } = await import(path.join(dist, 'journal/recorder.js'));
const { startConsole } = await import(path.join(dist, 'cli/console-server.js'));

const SECONDS = Number(process.argv[2] ?? process.env.CONSOLE_BENCH_SECONDS ?? 60);
if (!(SECONDS > 0)) throw new Error(`the duration must be a number of seconds, not ${process.argv[2] ?? process.env.CONSOLE_BENCH_SECONDS}`);
const VIEWERS = 10;
const TARGET_PERCENT = 3;
const PLAN = {
  experiment: 'bench',
  runId: 'bench-run',
  driver: 'process',
  faults: [{ name: 'pause-1', for: SECONDS * 500 }],
  objectives: [
    { availability: { probe: 'writes', atLeast: 99 } },
    { recovery: { probe: 'writes', within: 10_000, consecutive: 3 } },
    { latency: { probe: 'reads', p99: 200 } },
  ],
};

/** Feeds a simulated run to `rec` for SECONDS; resolves with this process's CPU time meanwhile (ms). */
function simulate(rec) {
  return new Promise((resolve) => {
    const start = Date.now();
    const cpu0 = process.cpuUsage();
    rec.record('phase', { phase: 'steady-state' });
    let injected = false;
    let reverted = false;
    let i = 0;
    const timer = setInterval(() => {
      const now = Date.now();
      const elapsed = (now - start) / 1000;
      if (!injected && elapsed > SECONDS * 0.1) {
        injected = true;
        rec.record('phase', { phase: 'inject' });
        rec.record('inject', { fault: 'pause-1', kind: 'pause', target: 'primary', ok: true, undo: { pid: 1 } });
      }
      if (injected && !reverted && elapsed > SECONDS * 0.6) {
        reverted = true;
        rec.record('revert', { fault: 'pause-1', kind: 'pause', target: 'primary', ok: true });
        rec.record('phase', { phase: 'recover' });
      }
      const down = injected && !reverted;
      // 2 probes x 5 samples/s: one sample of each every 200 ms, ticks every 100 ms alternate.
      // A workload at 500 operations/s: its last second, as the engine announces it to the console.
      if (i % 10 === 0 && rec.announce) {
        const okPerSecond = down ? 0 : 500;
        rec.announce({ t: now, type: 'workload', interval: { workload: 'orders', start: now - 1000, end: now, ok: okPerSecond, failed: 500 - okPerSecond, okPerSecond, failedPerSecond: 500 - okPerSecond, p50: down ? 500 : 2, p99: down ? 500 : 9 } });
      }
      const probe = i++ % 2 ? 'writes' : 'reads';
      rec.sample({ probe, t: now, ok: !(down && probe === 'writes'), ms: down ? 500 : 3 + (i % 7), ...(down && probe === 'writes' ? { error: 'timed out after 500ms' } : {}) });
      if (elapsed >= SECONDS) {
        clearInterval(timer);
        const used = process.cpuUsage(cpu0);
        resolve((used.user + used.system) / 1000);
      }
    }, 100);
  });
}

/** 10 viewers in another process: each loads the page and script once, then reads the stream. */
function startViewers(url) {
  const script = `
    const http = require('node:http');
    let bytes = 0, open = 0;
    for (let i = 0; i < ${VIEWERS}; i++) {
      for (const p of ['', 'console.js', 'console.css']) http.get(${JSON.stringify(url)} + p, (r) => r.resume());
      http.get(${JSON.stringify(url)} + 'events', (res) => {
        open++;
        if (open === ${VIEWERS}) process.stdout.write('connected\\n');
        res.on('data', (c) => (bytes += c.length));
      });
    }
    process.on('SIGTERM', () => { process.stdout.write(JSON.stringify({ bytes }) + '\\n'); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const connected = new Promise((resolve) => {
    const check = () => (out.includes('connected') ? resolve() : setTimeout(check, 20));
    check();
  });
  const stop = () =>
    new Promise((resolve) => {
      child.on('exit', () => resolve(JSON.parse(out.split('\n').filter((l) => l.startsWith('{')).pop() ?? '{"bytes":0}')));
      child.kill('SIGTERM');
    });
  return { connected, stop };
}

const newRecorder = () => new JournalRecorder({ runId: 'bench-run', faultlineVersion: 'bench', experiment: { name: 'bench', spec: null }, seed: '1', driver: 'process', startedAt: Date.now() }, () => Date.now());

console.log(`console bench: ${SECONDS}s per phase, ${VIEWERS} viewers`);
const baselineMs = await simulate(newRecorder());
console.log(`baseline (recorder alone): ${baselineMs.toFixed(0)} ms CPU`);

const rec = newRecorder();
const c = await startConsole({ plan: { ...PLAN, startedAt: rec.journal.startedAt }, halt: async () => {}, logbook: () => {} });
rec.listen(c.listener);
const viewers = startViewers(c.url);
await viewers.connected;
const consoleMs = await simulate(rec);
const { bytes } = await viewers.stop();
await c.close();

const percent = ((consoleMs - baselineMs) / (SECONDS * 1000)) * 100;
const pass = percent < TARGET_PERCENT;
console.log(`with the console and ${VIEWERS} viewers: ${consoleMs.toFixed(0)} ms CPU; console cost ${percent.toFixed(2)} % of one core (target < ${TARGET_PERCENT} %) ${pass ? 'PASS' : 'FAIL'}; ${(bytes / 1024).toFixed(0)} KiB streamed`);

const result = {
  bench: 'console',
  at: new Date().toISOString(),
  loadavg: loadavg(),
  seconds: SECONDS,
  viewers: VIEWERS,
  baselineCpuMs: baselineMs,
  consoleCpuMs: consoleMs,
  streamedBytes: bytes,
  targets: [{ name: `console CPU, ${VIEWERS} viewers`, value: percent, unit: '% of a core', target: `< ${TARGET_PERCENT}`, pass }],
  pass,
};
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'console.json'), JSON.stringify(result, null, 2) + '\n');
