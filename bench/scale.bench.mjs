// Scale, side by side with Pumba in the same run: select and SIGKILL 1,000 running containers with
// `faultline run --concurrency 16` (the built CLI: selection, safety checks, ledger, journal), then,
// after every container is started again, Pumba's `kill` of the same 1,000. For each: command start
// → the engine's last `die` event, time per target, and (faultline) peak RSS and CPU time of the
// process and the inject phase from the journal. Containers come from the local
// faultline-test/base image, are labelled with this bench's id and are all removed at the end.
// 5,000 pods against the Kubernetes API simulator are bench/kubernetes.bench.mjs.
//
//   npm run build && node bench/scale.bench.mjs        (writes bench/results/scale.json)
//   BENCH_CONTAINERS=200 BENCH_CONCURRENCY=16 node bench/scale.bench.mjs
import { eachDockerEvent } from './docker-events.mjs';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import pLimit from 'p-limit';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_CONTAINERS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const IMAGE = 'faultline-test/base:latest';
const BENCH = `sc${Math.random().toString(36).slice(2, 9)}`;
const LABELS = { 'faultline.test': '1', 'faultline.bench': BENCH };
const MARK = 'faultline-bench-usage:';
// CPU time and peak RSS of the child, written by the child itself as it exits.
const USAGE_PROBE = ['--import', `data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();writeSync(2,"\\n${MARK}"+JSON.stringify({cpuMs:(u.userCPUTime+u.systemCPUTime)/1000,maxRssMb:u.maxRSS/1024})+"\\n")})`];

const now = () => performance.timeOrigin + performance.now();
const round = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);
const docker = new Dockerode();
const dir = mkdtempSync(join(tmpdir(), 'faultline-scale-'));
const notes = [];
const peersDir = [process.env.FAULTLINE_PEERS, join(root, '../shared/peers'), join(root, '../../shared/peers')].filter(Boolean).find((d) => existsSync(join(d, 'bin')));
const pumba = peersDir && existsSync(join(peersDir, 'bin/pumba')) ? join(peersDir, 'bin/pumba') : undefined;

/** Resolves with the time of the engine's `die` event for every one of `ids` after `after`. */
async function allDied(ids, after, ms = 600_000) {
  const left = new Set(ids);
  let last = 0;
  const stream = await docker.getEvents({ filters: { type: ['container'], event: ['die'], label: [`faultline.bench=${BENCH}`] } });
  const done = new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${left.size} of ${ids.length} containers did not die within ${ms} ms`)), ms);
    eachDockerEvent(stream, (e, at) => {
      if (at >= after && left.delete(e.id)) last = Math.max(last, at);
      if (left.size === 0) {
        clearTimeout(timer);
        res(last);
      }
    });
  });
  return { done, close: () => stream.destroy() };
}

function runChild(cmd, args) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const usage = out.match(new RegExp(`${MARK}(\\{.*\\})`));
      res({ code, out: out.replace(new RegExp(`\\n?${MARK}.*\\n`), ''), usage: usage ? JSON.parse(usage[1]) : null });
    });
  });
}

/** Starts one container; an engine starting a thousand may answer 500 "task ... already exists" for one it is still starting. */
// Restarting a container just SIGKILLed can meet containerd's previous task not yet cleaned up
// ("task ... already exists"), for longer the busier the machine: retry until a deadline.
async function start(id, deadline = Date.now() + 60_000) {
  for (let attempt = 1; ; attempt++) {
    try {
      await docker.getContainer(id).start();
      return;
    } catch (e) {
      if (e.statusCode === 304) return;
      if (Date.now() > deadline) throw e;
      if ((await docker.getContainer(id).inspect()).State.Running) return;
      await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2000)));
    }
  }
}

async function startAll(ids) {
  const limit = pLimit(8);
  await Promise.all(ids.map((id) => limit(() => start(id))));
}

async function measure(name, cmd, args, ids, okCodes) {
  const t0 = now();
  const died = await allDied(ids, t0 - 5);
  try {
    const [lastDie, result] = await Promise.all([died.done, runChild(cmd, args)]);
    if (!okCodes.includes(result.code)) throw new Error(`${name} exited ${result.code}: ${result.out.slice(-2000)}`);
    const wall = lastDie - t0;
    return { toLastDieMs: round(wall), perTargetMs: round(wall / ids.length), ...(result.usage ? { cpuMs: round(result.usage.cpuMs), peakRssMb: round(result.usage.maxRssMb) } : {}) };
  } finally {
    died.close();
  }
}

function injectPhase(runsDir) {
  const [run] = readdirSync(runsDir);
  const j = JSON.parse(readFileSync(join(runsDir, run, 'journal.json'), 'utf8'));
  const injects = j.events.filter((e) => e.type === 'inject');
  const start = j.events.find((e) => e.type === 'phase' && e.phase === 'inject')?.t;
  const end = Math.max(...injects.map((e) => e.t));
  return { injected: injects.filter((e) => e.ok).length, injectPhaseMs: round(end - start), injectPerTargetMs: round((end - start) / injects.length) };
}

let result;
const ids = [];
try {
  await docker.ping();
  await docker.getImage(IMAGE).inspect();
  const t0 = now();
  const limit = pLimit(8);
  ids.push(
    ...(await Promise.all(
      Array.from({ length: N }, (_, i) =>
        limit(async () => (await docker.createContainer({ name: `${BENCH}-${i}`, Image: IMAGE, Cmd: ['sleep', '3600'], Labels: LABELS, HostConfig: { NetworkMode: 'none' } })).id),
      ),
    )),
  );
  await startAll(ids);
  const setupMs = round(now() - t0);

  const file = join(dir, 'kill-all.yaml');
  writeFileSync(
    file,
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: scale-kill }
spec:
  driver: docker
  targets:
    all: { selector: { labels: { faultline.bench: ${BENCH} } } }
  faults:
    - kill: { target: all, signal: SIGKILL }
  observe: { steadyState: 0s, recoveryWindow: 0s }
`,
  );
  const runs = join(dir, 'runs');
  // No objective is declared: "nothing judged" (exit 1) is the honest answer of a run that only kills.
  const faultline = await measure('faultline run', process.execPath, [...USAGE_PROBE, join(root, 'bin/faultline'), 'run', file, '--quiet', '--concurrency', String(CONCURRENCY), '--out', runs, '--state-dir', join(dir, 'state')], ids, [1]);
  Object.assign(faultline, injectPhase(runs));

  let peer = null;
  if (pumba) {
    await startAll(ids);
    peer = await measure('pumba kill', pumba, ['kill', '--signal', 'SIGKILL', `re2:^${BENCH}-`], ids, [0]);
  } else notes.push('no Pumba peer: its row was not measured');

  result = {
    bench: 'scale',
    at: new Date().toISOString(),
    load_average: loadavg().map(round),
    containers: N,
    concurrency: CONCURRENCY,
    setupMs,
    notes,
    faultline,
    pumba: peer,
    targets: [
      { name: `kill ${N} containers: per target`, value: faultline.perTargetMs, unit: 'ms', faultline: faultline.toLastDieMs, peer: peer?.toLastDieMs ?? null, target: '< Pumba', pass: peer ? faultline.toLastDieMs < peer.toLastDieMs : null },
      { name: `kill ${N} containers: peak RSS`, value: faultline.peakRssMb, unit: 'MB', target: '< 200 MB', pass: faultline.peakRssMb < 200 },
    ],
  };
} catch (err) {
  notes.push(`not measured: ${err.message}`);
  result = { bench: 'scale', at: new Date().toISOString(), load_average: loadavg().map(round), notes, targets: [], pass: null };
} finally {
  const list = await docker.listContainers({ all: true, filters: { label: [`faultline.bench=${BENCH}`] } }).catch(() => []);
  const limit = pLimit(16);
  await Promise.all(list.map((c) => limit(() => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined))));
  rmSync(dir, { recursive: true, force: true });
}
if (result.pass !== null) result.pass = result.targets.every((t) => t.pass !== false);
writeFileSync(join(root, 'bench/results/scale.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
