// The control path a user feels on every call, side by side with the peers in the same run (interleaved
// rounds, medians), against the floor measured in the same run:
//   version       `faultline --version` wall            vs `node -e 0`                     (target: within 15 ms)
//   validate      `faultline validate kill.yaml` wall   vs `node -e 0`                     (target: within 15 ms)
//   trivial run   a process-driver run: one service killed, one exec probe, no steady state, wall,
//                 vs Chaos Toolkit's `chaos run` of one kill action and one probe          (target: ≤ 1x)
//   docker kill   command start → the engine's `die` event (`observe.steadyState: 0s`)
//                 vs Pumba `kill --signal SIGKILL`, vs the floor: `node` + one raw API call   (target: ≤ 1.5x floor, < Pumba)
//   docker pause  command start → the engine's `pause` event, vs Pumba `pause`, vs the floor (same targets)
//   process kill / pause   command start → the service faultline started is gone / stopped (state T in
//                 /proc, polled every millisecond), vs the floor: `node` + one signal to a process
//                 (a process-driver run starts its services itself, so its figure includes that start)
// Every faultline row also records the CPU time of the command (user + system), which says whether a
// miss on a busy machine is ours. faultline is started as a user's shell starts it: the executable
// itself (not `node bin/faultline`), so `run` and `validate` start from the start-up snapshot when
// the build made one (docs/start-up.md), under `sh -c '...; times'` for the CPU time (~1 ms of wall
// for the shell). The "plain start" rows are the same commands with FAULTLINE_SNAPSHOT=0. The peers come from $FAULTLINE_PEERS, else ../shared/peers or
// ../../shared/peers beside the repository; a missing peer or Docker engine is a note, never a failure.
//
//   npm run build && node bench/control-path.bench.mjs      (writes bench/results/control-path.json)
//   BENCH_ROUNDS=9 to change the number of interleaved rounds (default 7); BENCH_DOCKER=0 to leave out the Docker rows;
//   BENCH_DOCKER_ONLY=1 to measure only them; BENCH_BASELINE_BIN=<another build's bin/faultline> to add its
//   Docker kill and pause to each round (before/after a change, same minutes)
import { eachDockerEvent } from './docker-events.mjs';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BIN = join(root, 'bin/faultline');
const BENCH = `cp${Math.random().toString(36).slice(2, 9)}`;
const IMAGE = 'faultline-test/base:latest';
// The shell reports its children's CPU time (`times`, second line) after the command, to stderr.
const TIMES = /\n?(\d+)m([\d.]+)s (\d+)m([\d.]+)s\n(\d+)m([\d.]+)s (\d+)m([\d.]+)s\n?$/;
/** The command and arguments that run `bin args` under a shell that then reports its CPU time. */
const withTimes = (bin, args) => ['/bin/sh', ['-c', 'c=0; "$@" || c=$?; times >&2; exit $c', 'sh', bin, ...args]];

const now = () => performance.timeOrigin + performance.now();
const round = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (!existsSync(join(root, 'dist/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const peersDir = [process.env.FAULTLINE_PEERS, join(root, '../shared/peers'), join(root, '../../shared/peers')].filter(Boolean).find((d) => existsSync(join(d, 'bin')));
const peer = (name) => (peersDir && existsSync(join(peersDir, 'bin', name)) ? join(peersDir, 'bin', name) : undefined);

/** Runs a command to its end; wall from spawn to exit, and the child's CPU time when it reports it. */
function timed(cmd, args, opts = {}) {
  return new Promise((resolveRun) => {
    const t0 = now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let err = '';
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const wall = now() - t0;
      const t = err.match(TIMES);
      const cpu = t ? (Number(t[5]) * 60 + Number(t[6]) + Number(t[7]) * 60 + Number(t[8])) * 1000 : null;
      resolveRun({ t0, wall, code, cpu, out, err: t ? err.slice(0, t.index) : err });
    });
  });
}

const node = (args, opts) => timed(process.execPath, args, opts);
const faultline = (args, opts) => timed(...withTimes(BIN, args), opts);
const PLAIN = { env: { ...process.env, FAULTLINE_SNAPSHOT: '0' } };

const dir = mkdtempSync(join(tmpdir(), 'faultline-control-path-'));
const rows = {};
const notes = [];
let ctkFailed = false;
const add = (name, value) => (rows[name] ??= []).push(value);

// ------------------------------------------------------------------ files

const killFile = join(dir, 'kill.yaml');
writeFileSync(killFile, docker('kill', '- kill: { target: victim, signal: SIGKILL }'));
const pauseFile = join(dir, 'pause.yaml');
writeFileSync(pauseFile, docker('pause', '- pause: { target: victim }\n      for: 200ms'));
// The same pause after a 1 s steady state, in which the run's engine holder starts: minus that
// second, what injection itself costs once its holder is running.
const STEADY_MS = 1000;
const pauseSteadyFile = join(dir, 'pause-steady.yaml');
writeFileSync(pauseSteadyFile, docker('pause', '- pause: { target: victim }\n      for: 200ms').replace('steadyState: 0s', `steadyState: ${STEADY_MS}ms`));
const BASELINE = process.env.BENCH_BASELINE_BIN;
// The holder of a Docker pause: the image the Docker tests build from this host's binaries (the default,
// nicolaka/netshoot, needs a registry). Children inherit it; a user's own setting wins.
const TOOLS = 'faultline-test/tools:latest';
process.env.FAULTLINE_DOCKER_HOLDER_IMAGE ??= TOOLS;
process.env.FAULTLINE_DOCKER_HELPER_IMAGE ??= TOOLS;

function docker(name, fault) {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: control-path-${name} }
spec:
  driver: docker
  targets:
    victim: { selector: { labels: { faultline.bench: ${BENCH}, faultline.role: ${name} } } }
  faults:
    ${fault}
  observe: { steadyState: 0s, recoveryWindow: 0s }
`;
}

const trivialFile = join(dir, 'trivial.yaml');
writeFileSync(
  trivialFile,
  `apiVersion: faultline/v1
kind: Experiment
metadata: { name: control-path-trivial }
spec:
  driver: process
  services:
    victim: { command: [sleep, "30"] }
  targets:
    victim: { selector: { names: [victim] } }
  probes:
    ok: { exec: { command: ["true"] } }
  faults:
    - kill: { target: victim, signal: SIGKILL }
  observe: { steadyState: 0s, recoveryWindow: 0s }
`,
);
const ctkFile = join(dir, 'trivial-ctk.json');
const ctkExperiment = (pid) => ({
  version: '1.0.0',
  title: 'control-path trivial',
  description: 'one kill, one probe',
  method: [
    { type: 'action', name: 'kill', provider: { type: 'process', path: 'kill', arguments: `-9 ${pid}` } },
    { type: 'probe', name: 'ok', provider: { type: 'process', path: 'true' } },
  ],
});

// ------------------------------------------------------------------ CLI start, validate, trivial run

async function cliRound() {
  add('node -e 0', (await node(['-e', '0'])).wall);
  const v = await faultline(['--version']);
  if (v.code !== 0) throw new Error(`faultline --version exited ${v.code}: ${v.err}`);
  add('faultline --version', v.wall);
  add('faultline --version cpu', v.cpu);
  const val = await faultline(['validate', killFile]);
  if (val.code !== 0) throw new Error(`faultline validate exited ${val.code}: ${val.err}`);
  add('faultline validate', val.wall);
  add('faultline validate cpu', val.cpu);
  const valPlain = await faultline(['validate', killFile], PLAIN);
  add('faultline validate, plain start', valPlain.wall);
  add('faultline validate, plain start cpu', valPlain.cpu);
  const run = await faultline(['run', trivialFile, '--quiet', '--out', join(dir, 'runs'), '--state-dir', join(dir, 'state')]);
  // No objective is declared: "nothing judged" (exit 1) is the run's honest answer; anything else is a failure.
  if (run.code !== 1 || !/NOT JUDGED/.test(run.out + run.err)) throw new Error(`trivial run exited ${run.code}: ${run.out}${run.err}`);
  add('faultline trivial run', run.wall);
  add('faultline trivial run cpu', run.cpu);
  const runPlain = await faultline(['run', trivialFile, '--quiet', '--out', join(dir, 'runs'), '--state-dir', join(dir, 'state')], PLAIN);
  add('faultline trivial run, plain start', runPlain.wall);
  add('faultline trivial run, plain start cpu', runPlain.cpu);
  const chaos = peer('chaos');
  if (chaos && !ctkFailed) {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    writeFileSync(ctkFile, JSON.stringify(ctkExperiment(sleeper.pid)));
    const ctk = await timed(chaos, ['--no-version-check', '--log-file', join(dir, 'chaostoolkit.log'), 'run', '--journal-path', join(dir, 'ctk-journal.json'), ctkFile], { cwd: dir });
    sleeper.kill('SIGKILL');
    if (ctk.code === 0) add('chaos run (Chaos Toolkit)', ctk.wall);
    else {
      notes.push(`Chaos Toolkit could not run (exit ${ctk.code}: ${ctk.err.trim().split('\n').pop()}); see ${join(peersDir, 'README.md')}`);
      ctkFailed = true;
    }
  }
}

// ------------------------------------------------------------------ process time to effect

const pidFile = join(dir, 'victim.pid');
const processFile = (name, fault) => {
  const file = join(dir, `process-${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: control-path-process-${name} }
spec:
  driver: process
  services:
    victim: { command: [sh, -c, 'echo $$ > ${pidFile}; exec sleep 30'] }
  targets:
    victim: { selector: { names: [victim] } }
  faults:
    ${fault}
  observe: { steadyState: 0s, recoveryWindow: 0s }
`,
  );
  return file;
};
const processKillFile = processFile('kill', '- kill: { target: victim, signal: SIGKILL }');
const processPauseFile = processFile('pause', '- pause: { target: victim }\n      for: 200ms');

/** The process's state letter from /proc (R, S, T, Z...), or null once it is gone. */
function procState(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  } catch {
    return null;
  }
}

/** Polls every millisecond until `check` holds; the time it first held. */
function pollUntil(check, ms = 30_000) {
  return new Promise((res, rej) => {
    const deadline = now() + ms;
    const tick = () => {
      const at = now();
      if (check()) return res(at);
      if (at > deadline) return rej(new Error('timed out polling for the effect'));
      setTimeout(tick, 1);
    };
    tick();
  });
}

/** From spawn to `effect(pid)` holding for the pid the service wrote (or, for the floor, `pid`). */
async function processEffect([cmd, args], effect, pid, okCodes) {
  rmSync(pidFile, { force: true });
  const t0 = now();
  const done = timed(cmd, args, { cwd: dir });
  const at = await pollUntil(() => {
    const p = pid ?? (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN);
    return p > 0 && effect(p);
  });
  const result = await done;
  if (!okCodes.includes(result.code)) throw new Error(`${args.join(' ')} exited ${result.code}: ${result.out}${result.err}`);
  return { ms: at - t0, cpu: result.cpu };
}

async function processRound() {
  const gone = (p) => procState(p) === null || procState(p) === 'Z';
  const stopped = (p) => procState(p) === 'T';
  const run = (file) => withTimes(BIN, ['run', file, '--quiet', '--out', join(dir, 'runs'), '--state-dir', join(dir, 'state')]);
  for (const [f, signal, effect, file] of [['kill', 'SIGKILL', gone, processKillFile], ['pause', 'SIGSTOP', stopped, processPauseFile]]) {
    const victim = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      add(`process ${f}: floor (node + one signal)`, (await processEffect([process.execPath, ['-e', `process.kill(${victim.pid}, '${signal}')`]], effect, victim.pid, [0])).ms);
    } finally {
      victim.kill('SIGKILL');
    }
    const r = await processEffect(run(file), effect, undefined, [1]);
    add(`process ${f}: faultline run`, r.ms);
    add(`process ${f}: faultline run cpu`, r.cpu);
  }
}

// ------------------------------------------------------------------ Docker time to effect

let Dockerode;
try {
  Dockerode = (await import('dockerode')).default;
} catch {
  Dockerode = undefined;
}
const engine = Dockerode ? new Dockerode() : undefined;

/** The engine's events for this bench's containers, as they come: resolves a wait for (container, action). */
async function followEvents() {
  const waiters = [];
  const stream = await engine.getEvents({ filters: { type: ['container'], label: [`faultline.bench=${BENCH}`] } });
  eachDockerEvent(stream, (e, at) => {
    for (const w of waiters.filter((x) => x.id === e.id && x.action === e.Action && at >= x.after)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(at);
    }
  });
  return {
    wait(id, action, after, ms = 30_000) {
      return new Promise((res, rej) => {
        const w = { id, action, after, resolve: res };
        waiters.push(w);
        setTimeout(() => {
          if (waiters.includes(w)) {
            waiters.splice(waiters.indexOf(w), 1);
            rej(new Error(`no ${action} event for ${id.slice(0, 12)} within ${ms} ms`));
          }
        }, ms).unref();
      });
    },
    close: () => stream.destroy(),
  };
}

const rawCall = (id, what) =>
  `require('http').request({socketPath:'/var/run/docker.sock',method:'POST',path:'/containers/${id}/${what}'},(r)=>{r.resume();r.on('end',()=>{if(r.statusCode>=300)process.exitCode=1})}).end()`;

async function container(role) {
  const c = await engine.createContainer({ Image: IMAGE, Cmd: ['sleep', '3600'], Labels: { 'faultline.test': '1', 'faultline.bench': BENCH, 'faultline.role': role }, HostConfig: { NetworkMode: 'none' } });
  await c.start();
  return c;
}

async function ensureRunning(c) {
  const s = (await c.inspect()).State;
  if (s.Paused) await c.unpause();
  else if (!s.Running) await c.start();
}

/** Spawns the command and measures from the spawn to the engine's event; the command must also succeed. */
async function toEffect(events, c, action, cmd, args, okCodes = [0]) {
  await ensureRunning(c);
  const t0 = now();
  const effect = events.wait(c.id, action, t0 - 5);
  const done = timed(cmd, args, { cwd: dir });
  const [at, result] = await Promise.all([effect, done]);
  if (!okCodes.includes(result.code)) throw new Error(`${[cmd, ...args].join(' ')} exited ${result.code}: ${result.out}${result.err}`);
  return { ms: at - t0, cpu: result.cpu };
}

async function dockerRounds() {
  if (process.env.BENCH_DOCKER === '0') {
    notes.push('BENCH_DOCKER=0: the Docker rows were not measured');
    return;
  }
  if (!engine || !(await engine.ping().then(() => true, () => false))) {
    notes.push('no Docker engine: the Docker time-to-effect rows were not measured');
    return;
  }
  if (!(await engine.getImage(IMAGE).inspect().then(() => true, () => false))) {
    notes.push(`image ${IMAGE} is missing (the Docker tests build it): the Docker rows were not measured`);
    return;
  }
  const holderImage = process.env.FAULTLINE_DOCKER_HOLDER_IMAGE;
  if (!(await engine.getImage(holderImage).inspect().then(() => true, () => false))) {
    notes.push(`holder image ${holderImage} is missing (the Docker tests build ${TOOLS}; \`faultline images --build-from-host\` builds another): the Docker rows were not measured`);
    return;
  }
  const events = await followEvents();
  const pumba = peer('pumba');
  if (!pumba) notes.push('no Pumba peer: its rows were not measured');
  const kill = await container('kill');
  const pause = await container('pause');
  const run = (file, bin = BIN) => withTimes(bin, ['run', file, '--quiet', '--out', join(dir, 'runs'), '--state-dir', join(dir, 'state')]);
  try {
    for (let r = 0; r < ROUNDS; r++) {
      add('docker kill: floor (node + raw API call)', (await toEffect(events, kill, 'die', process.execPath, ['-e', rawCall(kill.id, 'kill?signal=SIGKILL')])).ms);
      const k = await toEffect(events, kill, 'die', ...run(killFile), [1]);
      add('docker kill: faultline run', k.ms);
      add('docker kill: faultline run cpu', k.cpu);
      if (BASELINE) add('docker kill: baseline faultline run', (await toEffect(events, kill, 'die', ...run(killFile, BASELINE), [1])).ms);
      if (pumba) add('docker kill: Pumba', (await toEffect(events, kill, 'die', pumba, ['kill', '--signal', 'SIGKILL', (await kill.inspect()).Name.slice(1)])).ms);

      add('docker pause: floor (node + raw API call)', (await toEffect(events, pause, 'pause', process.execPath, ['-e', rawCall(pause.id, 'pause')])).ms);
      const p = await toEffect(events, pause, 'pause', ...run(pauseFile), [1]);
      add('docker pause: faultline run', p.ms);
      add('docker pause: faultline run cpu', p.cpu);
      const ps = await toEffect(events, pause, 'pause', ...run(pauseSteadyFile), [1]);
      add(`docker pause: faultline run with a ${STEADY_MS} ms steady state, minus it`, ps.ms - STEADY_MS);
      if (BASELINE) add('docker pause: baseline faultline run', (await toEffect(events, pause, 'pause', ...run(pauseFile, BASELINE), [1])).ms);
      if (pumba) add('docker pause: Pumba', (await toEffect(events, pause, 'pause', pumba, ['pause', '--duration', '200ms', (await pause.inspect()).Name.slice(1)])).ms);
    }
  } finally {
    events.close();
  }
}

async function cleanup() {
  if (!engine) return;
  const list = await engine.listContainers({ all: true, filters: { label: [`faultline.bench=${BENCH}`] } }).catch(() => []);
  await Promise.all(list.map((c) => engine.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

// ------------------------------------------------------------------ main

try {
  if (process.env.BENCH_DOCKER_ONLY !== '1') {
    for (let r = 0; r < ROUNDS; r++) await cliRound();
    for (let r = 0; r < ROUNDS; r++) await processRound();
  }
  await dockerRounds();
} finally {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
}

const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, round(median(v))]));
const floor = m['node -e 0'] ?? NaN;
const targets = [];
// A row that was not measured (BENCH_DOCKER_ONLY) is reported as such, never as a failure.
const line = (name, value, unit, target, pass, extra = {}) => {
  const measured = typeof value === 'number' && Number.isFinite(value);
  targets.push({ name, value: measured ? value : null, unit, target, pass: measured ? pass : null, ...extra });
};
line('--version over node -e 0', round(m['faultline --version'] - floor), 'ms', '≤ 15 ms', m['faultline --version'] - floor <= 15, { faultline: m['faultline --version'], floor, cpu: m['faultline --version cpu'] });
line('validate 1 file over node -e 0', round(m['faultline validate'] - floor), 'ms', '≤ 15 ms', m['faultline validate'] - floor <= 15, { faultline: m['faultline validate'], floor, cpu: m['faultline validate cpu'], plain_start: m['faultline validate, plain start'], plain_start_cpu: m['faultline validate, plain start cpu'] });
const ctk = m['chaos run (Chaos Toolkit)'];
line('trivial run / chaos run', ctk ? round(m['faultline trivial run'] / ctk) : null, 'x', '≤ 1x', ctk ? m['faultline trivial run'] <= ctk : null, { faultline: m['faultline trivial run'], peer: ctk, cpu: m['faultline trivial run cpu'], plain_start: m['faultline trivial run, plain start'], plain_start_cpu: m['faultline trivial run, plain start cpu'] });
for (const f of ['kill', 'pause']) {
  const fl = m[`process ${f}: faultline run`];
  const fp = m[`process ${f}: floor (node + one signal)`];
  line(`process ${f}: time to effect / floor`, round(fl / fp), 'x', '≤ 1.5x', fl <= 1.5 * fp, { faultline: fl, floor: fp, cpu: m[`process ${f}: faultline run cpu`] });
}
for (const f of ['kill', 'pause']) {
  const fl = m[`docker ${f}: faultline run`];
  const fp = m[`docker ${f}: floor (node + raw API call)`];
  const pu = m[`docker ${f}: Pumba`];
  if (fl === undefined) continue;
  line(`docker ${f}: time to effect / floor`, round(fl / fp), 'x', '≤ 1.5x', fl <= 1.5 * fp, { faultline: fl, floor: fp, cpu: m[`docker ${f}: faultline run cpu`] });
  line(`docker ${f}: time to effect / Pumba`, pu ? round(fl / pu) : null, 'x', '< 1x', pu ? fl < pu : null, { faultline: fl, peer: pu });
}

const result = {
  bench: 'control-path',
  at: new Date().toISOString(),
  load_average: loadavg().map(round),
  rounds: ROUNDS,
  peers: peersDir ?? null,
  notes,
  medians: m,
  runs: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.map(round)])),
  targets,
  pass: targets.every((t) => t.pass !== false),
};
writeFileSync(join(root, `bench/results/control-path${process.env.BENCH_DOCKER_ONLY === '1' ? '-docker' : ''}.json`), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify({ medians: m, notes, load_average: result.load_average }, null, 2));
for (const t of targets) console.log(`${t.name}: ${t.value} ${t.unit} (target ${t.target}) ${t.pass === null ? 'not measured' : t.pass ? 'PASS' : 'FAIL'}`);
