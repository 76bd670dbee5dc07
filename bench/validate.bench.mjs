// Benchmark: `faultline validate` of 100 experiment files in one invocation must take under 1 s wall
// clock, and be at least 25x faster than Chaos Toolkit's `chaos validate` of as many files (one call
// per file: it validates one file per call), timed in the same run. Plain Node ESM against the built
// package: run `npm run build` first.
//
// It writes 100 varied, valid experiments (process, docker and kubernetes drivers; YAML and JSON)
// to a temp dir, and 100 Chaos Toolkit experiments of a similar size and shape (probes, actions,
// rollbacks; YAML and JSON), and times, as the median of several runs, interleaved:
//   cli       bin/faultline validate <100 files>, started as a shell starts it (from the start-up
//             snapshot when the build made one, docs/start-up.md; wall only: no CPU probe can ride along)
//   ctk       chaos --no-version-check validate FILE, for each of the 100 files in turn
//             (skipped, with a note, when Chaos Toolkit is not installed or cannot start: never a failure)
//   loader    a fresh node process importing dist/spec/load-experiment.js and loading all 100 files
//   warm      loading all 100 files again in this already-warm process (the parsing cost alone)
// It also follows the static imports of the validate path and lists the packages it pulls in, because
// loading dockerode or the Kubernetes client there would cost more than the whole budget.
//
// Chaos Toolkit is looked for in $FAULTLINE_PEERS (the peers folder), else in ../shared/peers or
// ../../shared/peers beside the repository (its README there says how to install what it needs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = 100;
const RUNS = 7;
/** Each Chaos Toolkit run is 100 Python processes (some 17 s on a quiet machine): fewer of them. */
const CTK_RUNS = Number(process.env.CTK_RUNS ?? 3);
const TARGET_MS = 1000;
const TARGET_RATIO = 25;
const HEAVY = ['dockerode', '@kubernetes/client-node'];
// Wall clock is what the target is about, but on a busy machine it mostly measures the neighbours;
// each child also reports the CPU time it used, which says whether a miss is ours.
const CPU_MARK = 'faultline-bench-cpu-us:';
const CPU_PROBE = ['--import', `data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.cpuUsage();writeSync(2,"\\n${CPU_MARK}"+(u.user+u.system)+"\\n")})`];

const loaderPath = join(root, 'dist/spec/load-experiment.js');
if (!existsSync(loaderPath)) {
  console.error('dist/spec/load-experiment.js is missing: run `npm run build` first');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'faultline-validate-bench-'));
try {
  const files = Array.from({ length: FILES }, (_, i) => writeExperiment(dir, i));
  const { loadExperiment } = await import(pathToFileURL(loaderPath).href);
  for (const f of files) await loadExperiment(f); // every generated file must be valid, or the timing is meaningless

  const warm = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (const f of files) await loadExperiment(f);
    warm.push(round(performance.now() - t0));
  }

  const bin = join(root, 'bin/faultline');
  const ctkDir = join(dir, 'chaostoolkit');
  mkdirSync(ctkDir);
  const ctkFiles = Array.from({ length: FILES }, (_, i) => writeCtkExperiment(ctkDir, i));
  const ctk = chaosToolkit(ctkDir, ctkFiles[0]);
  const commands = {
    loader: { run: () => spawnSync(process.execPath, [...CPU_PROBE, '--input-type=module', '-e', loaderScript(loaderPath), ...files], { encoding: 'utf8' }) },
    ...(existsSync(bin) ? { cli: { run: () => spawnSync(bin, ['validate', ...files], { encoding: 'utf8', cwd: root }) } } : {}),
    ...(ctk.chaos ? { ctk: { runs: CTK_RUNS, run: () => everyFile(ctkFiles, (f) => spawnSync(ctk.chaos, ['--no-version-check', 'validate', f], { encoding: 'utf8', cwd: ctkDir })) } } : {}),
  };
  const timed = timeRuns(commands);
  const loader = timed.loader;
  const cli = timed.cli ?? { skipped: true, note: 'bin/faultline does not exist yet: the CLI was not timed; median_ms is the fresh-process loader time' };
  const chaos = timed.ctk ? { ...timed.ctk, command: `${ctk.chaos} --no-version-check validate FILE, once per file`, version: ctk.version } : { skipped: true, note: ctk.note };

  const entry = existsSync(bin) ? bin : loaderPath;
  const imports = staticPackages(entry);
  const heavy = imports.filter((p) => HEAVY.includes(p));

  const median_ms = cli.skipped ? loader.median_ms : cli.median_ms;
  const timePass = median_ms !== undefined && median_ms < TARGET_MS && !cli.failed && !loader.failed && heavy.length === 0;
  const ratio = chaos.median_ms !== undefined && median_ms ? round(chaos.median_ms / median_ms) : undefined;
  // A missing peer is a note, not a failure; a peer that ran but whose figure faultline misses is.
  const ratioPass = chaos.skipped ? null : ratio !== undefined && ratio >= TARGET_RATIO && !chaos.failed;
  const result = {
    benchmark: 'validate',
    files: FILES,
    target_ms: TARGET_MS,
    median_ms,
    ctk_median_ms: chaos.median_ms ?? null,
    ratio_vs_ctk: ratio ?? null,
    target_ratio: TARGET_RATIO,
    pass_time: timePass,
    pass_ratio: ratioPass,
    pass: timePass && ratioPass !== false,
    ...(chaos.skipped ? { note: `Chaos Toolkit comparison skipped: ${chaos.note}` } : {}),
    targets: [
      { name: `validate ${FILES} files, one call (median wall)`, value: median_ms, unit: 'ms', target: `< ${TARGET_MS} ms`, pass: timePass },
      chaos.skipped
        ? { name: `vs chaos validate, ${FILES} calls`, value: 'skipped', target: `>= ${TARGET_RATIO}x`, pass: 'skipped: see note' }
        : { name: `vs chaos validate, ${FILES} calls (${chaos.median_ms} ms)`, value: ratio, unit: 'x', target: `>= ${TARGET_RATIO}x`, pass: ratioPass },
    ],
    runs: cli.skipped ? loader.runs : cli.runs,
    measured: cli.skipped ? 'fresh node process: import dist/spec/load-experiment.js + load 100 files' : 'bin/faultline validate <100 files>',
    cli,
    ctk: chaos,
    loader,
    warm_in_process: { median_ms: median(warm), runs: warm, per_file_ms: round(median(warm) / FILES) },
    validate_path: { entry: entry.slice(root.length + 1), packages: imports, heavy },
    node: process.version,
    cpus: availableParallelism(),
    load_average: loadavg().map(round),
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/validate.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  if (heavy.length) console.error(`the validate path statically imports ${heavy.join(' and ')}: import them lazily in the drivers`);
  if (chaos.skipped) console.error(`validate bench: Chaos Toolkit comparison skipped: ${chaos.note}`);
  process.exitCode = result.pass ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs each command its number of times (RUNS unless it says fewer), interleaved so that a busy
 * spell on the machine hits them alike.
 */
function timeRuns(commands) {
  const names = Object.keys(commands);
  for (const name of names) commands[name].run(); // warm the file system cache; not counted
  const out = Object.fromEntries(names.map((name) => [name, { runs: [], cpu_runs: [] }]));
  for (let r = 0; r < RUNS; r++) {
    for (const name of names) {
      const result = out[name];
      if (result.failed || r >= (commands[name].runs ?? RUNS)) continue;
      const t0 = performance.now();
      const child = commands[name].run();
      const ms = round(performance.now() - t0);
      if (child.status !== 0) {
        Object.assign(result, { failed: true, status: child.status, stderr: String(child.stderr).slice(0, 2000) });
        continue;
      }
      result.runs.push(ms);
      const mark = String(child.stderr).split('\n').find((l) => l.startsWith(CPU_MARK));
      if (mark) result.cpu_runs.push(round(Number(mark.slice(CPU_MARK.length)) / 1000));
    }
  }
  for (const result of Object.values(out)) {
    if (result.runs.length) result.median_ms = median(result.runs);
    if (result.cpu_runs.length) result.cpu_median_ms = median(result.cpu_runs);
    else delete result.cpu_runs;
  }
  return out;
}

/** One call per file, as Chaos Toolkit offers; the first failure stops the round and is what it reports. */
function everyFile(files, call) {
  for (const f of files) {
    const child = call(f);
    if (child.status !== 0) return { status: child.status, stderr: `${f}: ${child.error?.message ?? ''}${child.stderr}` };
  }
  return { status: 0, stderr: '' };
}

/** The `chaos` command if Chaos Toolkit is there and validates a file, else why it is not used. */
function chaosToolkit(cwd, sample) {
  const candidates = [process.env.FAULTLINE_PEERS, join(root, '../shared/peers'), join(root, '../../shared/peers')].filter(Boolean);
  const peers = candidates.find((d) => existsSync(join(d, 'bin/chaos')));
  if (!peers) return { note: `no Chaos Toolkit peer (bin/chaos) in ${candidates.join(', ')}` };
  const chaos = join(peers, 'bin/chaos');
  const trial = spawnSync(chaos, ['--no-version-check', 'validate', sample], { encoding: 'utf8', cwd });
  if (trial.status !== 0) {
    const why = trial.error?.message ?? String(trial.stderr).trim().split('\n').at(-1);
    return { note: `${chaos} could not validate a file (exit ${trial.status}: ${why}); see ${join(peers, 'README.md')} for what it needs` };
  }
  const version = existsSync(join(peers, 'VERSIONS')) ? readFileSync(join(peers, 'VERSIONS'), 'utf8').split('\n').find((l) => /chaos ?toolkit/i.test(l))?.trim() : undefined;
  return { chaos, version };
}

function loaderScript(path) {
  return `const { loadExperiment } = await import(${JSON.stringify(pathToFileURL(path).href)});
for (const f of process.argv.slice(1)) await loadExperiment(f);`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}

/** Packages reachable through static `import`/`export ... from` statements (dynamic imports are lazy by design). */
function staticPackages(entry) {
  const seen = new Set();
  const packages = new Set();
  const visit = (file) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(?:type\s+)?[\w$*{},\s]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  };
  visit(entry);
  return [...packages].sort();
}

// ---------------------------------------------------------------- the generated experiments

function writeExperiment(into, i) {
  const kind = i % 3;
  if (kind === 0) return write(into, `process-${i}.yaml`, processYaml(i));
  if (kind === 1) return write(into, `docker-${i}.yaml`, dockerYaml(i));
  return write(into, `kubernetes-${i}.json`, JSON.stringify(kubernetesJson(i), null, 2));
}

function write(into, name, text) {
  const file = join(into, name);
  writeFileSync(file, text);
  return file;
}

function processYaml(i) {
  const n = 2 + (i % 4);
  const port = 7000 + i * 10;
  const services = Array.from({ length: n }, (_, s) => `    node-${s}: { command: [node, server.js, --port=${port + s}], restart: always, ready: { tcp: 127.0.0.1:${port + s} } }`).join('\n');
  const links = Array.from({ length: n - 1 }, (_, s) => `    link-${s + 1}: { from: node-${s + 1}, to: node-0, listen: 127.0.0.1:${20000 + i * 10 + s}, upstream: 127.0.0.1:${port} }`).join('\n');
  const names = Array.from({ length: n }, (_, s) => `node-${s}`).join(', ');
  return `# generated experiment ${i}
apiVersion: faultline/v1
kind: Experiment
metadata: { name: process-${i}, description: Generated for the validate benchmark. }
spec:
  driver: process
  seed: ${i}
  services:
${services}
  links:
${links}
  targets:
    primary: { selector: { names: [node-0] } }
    any: { selector: { names: [${names}] }, pick: { count: 1 } }
    some: { selector: { names: [${names}] }, pick: { percent: 50% } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${port}/put?k=x&v=${i}", expect: { status: [200, 201] } }, every: 100ms, timeout: 500ms }
    port: { tcp: { address: "127.0.0.1:${port}" }, every: 250ms }
    check: { exec: { command: [node, -e, "process.exit(0)"], stdout: "^$" }, every: 1s }
  steadyState: [writes, port]
  faults:
    - kill: { target: any, signal: ${i % 2 ? 'SIGKILL' : 'SIGTERM'} }
      at: ${i % 5}s
    - latency: { target: primary, delay: ${50 + i}ms, jitter: 5ms }
      at: 2s
      for: 10s
    - partition: { from: node-1, to: primary, direction: ${['to', 'from', 'both'][i % 3]} }
      name: split
      at: 5s
      for: 1m30s
    - loss: { target: primary, percent: ${i % 50}%, mode: ${i % 2 ? 'drop' : 'reset'} }
      for: 3s
    - bandwidth: { target: primary, rate: ${1 + (i % 9)}mbit }
      for: 2s
    - pause: { target: some }
      for: 500ms
  objectives:
    - recovery: { probe: writes, within: 10s, after: split, consecutive: 5 }
    - availability: { probe: writes, atLeast: 9${i % 10}% }
    - latency: { probe: writes, p50: 20ms, p99: 300ms }
  abort: [ { probe: writes, failingFor: 60s }, { objectiveMissed: true } ]
  safety: { maxTargets: ${n}, maxPercent: 100% }
  observe: { steadyState: 2s, recoveryWindow: 20s }
`;
}

function dockerYaml(i) {
  return `apiVersion: faultline/v1
kind: Experiment
metadata:
  name: docker-${i}
  labels: { team: storage, run: "${i}" }
spec:
  driver: docker
  docker: { netns: ${['auto', 'nsenter', 'helper'][i % 3]} }
  targets:
    db:
      selector: { compose: { project: shop, service: db } }
      pick: { count: ${1 + (i % 3)} }
      where: { exec: { command: [sh, -c, "test -f /primary"] }, timeout: 2s }
    web:
      selector: { labels: { app: web, tier: front } }
      pick: all
    lan-members: { selector: { network: shop_default } }
  probes:
    shop: { http: { url: "http://127.0.0.1:${8000 + i}/", method: HEAD }, every: 200ms }
    db-health: { docker-health: { container: shop-db-1 } }
  steadyState: [shop, db-health]
  faults:
    - stop: { target: db, timeout: 5s, restore: true }
      for: 20s
    - latency: { target: web, delay: 150ms, direction: both, peers: [db] }
      at: 30s
      for: 15s
    - switch-outage: { network: shop_default }
      at: 50s
      for: 5s
    - cpu: { target: web, cpus: 0.${1 + (i % 9)} }
      for: 10s
    - dns: { target: web }
      for: 3s
  objectives:
    - recovery: { probe: shop, within: 30s }
    - availability: { probe: shop, atLeast: "99.${i % 10}%" }
  safety: { production: ${i % 2 === 0}, requireOptIn: chaos=allowed }
`;
}

function kubernetesJson(i) {
  return {
    apiVersion: 'faultline/v1',
    kind: 'Experiment',
    metadata: { name: `kubernetes-${i}` },
    spec: {
      driver: 'kubernetes',
      seed: `seed-${i}`,
      kubernetes: { context: 'kind-chaos', namespace: 'shop' },
      targets: {
        api: { selector: { owner: { kind: 'Deployment', name: 'api' }, namespaces: ['shop'] }, pick: { percent: `${10 + (i % 90)}%` } },
        redis: { selector: { labels: { app: 'redis' }, expressions: [{ key: 'role', operator: 'In', values: ['primary'] }], fields: { 'status.phase': 'Running' } } },
      },
      probes: {
        api: { http: { url: `http://127.0.0.1:${9000 + i}/healthz`, expect: { status: 200, body: 'ok' } }, every: '500ms' },
        ready: { 'k8s-ready': { kind: 'Deployment', name: 'api', namespace: 'shop' } },
      },
      steadyState: ['api', 'ready'],
      faults: [
        { 'pod-delete': { target: 'api', gracePeriod: '0s' } },
        { 'container-kill': { target: 'redis', container: 'redis' }, at: '20s' },
        { partition: { from: 'api', to: 'redis' }, at: '40s', for: '10s' },
        { scale: { workload: { kind: 'Deployment', name: 'api' }, replicas: i % 4 }, at: '1m', for: '30s' },
      ],
      objectives: [{ recovery: { probe: 'api', within: '45s', after: 'pod-delete-1' } }, { latency: { probe: 'api', p95: '250ms', max: '2s' } }],
      abort: [{ probe: 'ready', failingFor: '2m' }],
      safety: { maxTargets: 10, allowSystemNamespaces: false },
    },
  };
}

/** A Chaos Toolkit experiment about as large as the faultline ones: a steady state of HTTP probes, process actions, rollbacks. */
function writeCtkExperiment(into, i) {
  const port = 7000 + i * 10;
  const experiment = {
    version: '1.0.0',
    title: `Generated experiment ${i} survives losing a node`,
    description: 'Generated for the validate benchmark.',
    tags: ['kv', `run-${i}`],
    configuration: { port, nodes: 2 + (i % 4) },
    'steady-state-hypothesis': {
      title: 'writes succeed',
      probes: [
        { type: 'probe', name: 'writes-ok', tolerance: 200, provider: { type: 'http', url: `http://127.0.0.1:${port}/put?k=x&v=${i}`, timeout: 1 } },
        { type: 'probe', name: 'health-ok', tolerance: 0, provider: { type: 'process', path: 'node', arguments: ['-e', 'process.exit(0)'] } },
      ],
    },
    method: [
      { type: 'action', name: 'kill-node', provider: { type: 'process', path: 'node', arguments: ['-e', `process.kill(${1000 + i}, 0)`] }, pauses: { after: 1 } },
      { type: 'action', name: 'add-latency', provider: { type: 'process', path: 'node', arguments: ['-e', `console.log(${50 + i})`] } },
      { type: 'probe', name: 'read-after-fault', provider: { type: 'http', url: `http://127.0.0.1:${port}/get?k=x`, timeout: 2 } },
    ],
    rollbacks: [{ type: 'action', name: 'restart-node', provider: { type: 'process', path: 'node', arguments: ['-e', 'process.exit(0)'] } }],
  };
  if (i % 3 === 2) return write(into, `ctk-${i}.json`, JSON.stringify(experiment, null, 2));
  return write(into, `ctk-${i}.yaml`, toYaml(experiment));
}

/** Block YAML for the plain data above (strings always quoted, so no scalar is misread). */
function toYaml(value, indent = '') {
  if (Array.isArray(value)) return value.map((v) => `${indent}- ${toYaml(v, `${indent}  `).trimStart()}`).join('\n');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => (v !== null && typeof v === 'object' ? `${indent}${k}:\n${toYaml(v, `${indent}  `)}` : `${indent}${k}: ${JSON.stringify(v)}`))
      .join('\n');
  }
  return JSON.stringify(value);
}
