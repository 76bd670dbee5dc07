// Kubernetes driver benchmark: select 5,000 pods and delete every one of them with concurrency 16,
// through the built driver and the real @kubernetes/client-node, against the API simulator.
// The simulator runs in a child process so that the memory figure is faultline's alone.
//
//   npm run build && node bench/kubernetes.bench.mjs
//   BENCH_PODS=20000 BENCH_CONCURRENCY=32 node bench/kubernetes.bench.mjs
//
// Writes bench/results/kubernetes.json.
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const PODS = Number(process.env.BENCH_PODS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const RSS_LIMIT_MB = 200;
/** Inside node_modules so the bundle resolves @kubernetes/client-node like the rest of the repo. */
const BUNDLE = path.join(root, 'node_modules', '.cache', 'faultline-bench', 'k8s-sim.mjs');

// ------------------------------------------------------------------ child: the simulated API server

async function simulatorRole() {
  const { startSimulator } = await import(pathToFileURL(BUNDLE).href);
  const sim = await startSimulator({ historyLimit: 2 * PODS });
  for (let i = 0; i < PODS; i++) {
    sim.state.addPod({ namespace: 'bench', name: `pod-${String(i).padStart(5, '0')}`, labels: { app: 'bench', shard: String(i % 10) }, nodeName: `node-${i % 20}` });
  }
  process.send({ kubeconfig: sim.kubeconfigYaml({ namespace: 'bench' }) });
  process.on('message', async (m) => {
    if (m === 'stats') process.send({ deletions: sim.state.deletions.length, left: sim.state.pods('bench').length, requests: sim.requests.length });
    if (m === 'stop') {
      await sim.close();
      process.exit(0);
    }
  });
}

// ------------------------------------------------------------------ parent: faultline

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function bundleSimulator() {
  const { build } = await import('esbuild');
  await mkdir(path.dirname(BUNDLE), { recursive: true });
  await build({ entryPoints: [path.join(root, 'test/k8s-sim/simulator.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: BUNDLE, logLevel: 'warning' });
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

async function main() {
  await bundleSimulator();
  const child = fork(fileURLToPath(import.meta.url), ['simulator'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { kubeconfig } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });

  const { KubeConfig } = await import('@kubernetes/client-node');
  const { KubernetesDriver } = await import(pathToFileURL(path.join(root, 'dist/drivers/kubernetes/kubernetes-driver.js')).href);
  const { systemClock } = await import(pathToFileURL(path.join(root, 'dist/runtime/system-clock.js')).href);
  const { default: pLimit } = await import('p-limit');

  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const driver = new KubernetesDriver({ kubeConfig: kc });
  const warnings = [];
  const ctx = { clock: systemClock, signal: new AbortController().signal, runId: 'bench-run', rng: Math.random, log: { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) } };
  const experiment = { spec: { safety: { allowSystemNamespaces: false }, faults: [] } };
  driver.configure(experiment);

  const t0 = performance.now();
  const targets = await driver.candidates({ namespaces: ['bench'], labels: { app: 'bench' } }, 'bench', ctx);
  const selectMs = performance.now() - t0;
  if (targets.length !== PODS) throw new Error(`selected ${targets.length} pods, expected ${PODS}`);

  const latencies = new Array(targets.length);
  const limit = pLimit(CONCURRENCY);
  let failures = 0;
  const t1 = performance.now();
  await Promise.all(
    targets.map((t, i) =>
      limit(async () => {
        const s = performance.now();
        try {
          await driver.pods.delete(t, undefined, ctx);
        } catch {
          failures++;
        }
        latencies[i] = performance.now() - s;
      }),
    ),
  );
  const deleteMs = performance.now() - t1;
  const totalMs = performance.now() - t0;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const stats = await ask(child, 'stats');
  child.send('stop');

  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n) => (n === null ? null : Math.round(n * 100) / 100);
  const perPod = { p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1)) };
  const targetsTable = [
    { name: 'peak RSS', value: round(peakRssMb), unit: 'MB', target: `< ${RSS_LIMIT_MB}`, pass: peakRssMb < RSS_LIMIT_MB },
    { name: 'pods deleted', value: stats.deletions, unit: 'pods', target: `= ${PODS}`, pass: stats.deletions === PODS && failures === 0 },
  ];
  const result = {
    bench: 'kubernetes',
    node: process.version,
    pods: PODS,
    concurrency: CONCURRENCY,
    selectMs: round(selectMs),
    deleteMs: round(deleteMs),
    totalMs: round(totalMs),
    podsPerSecond: round((PODS / deleteMs) * 1000),
    perPodDeleteMs: perPod,
    peakRssMb: round(peakRssMb),
    failures,
    apiRequests: stats.requests,
    targets: targetsTable,
    pass: targetsTable.every((t) => t.pass),
  };
  await mkdir(path.join(here, 'results'), { recursive: true });
  await writeFile(path.join(here, 'results', 'kubernetes.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`kubernetes: selected ${PODS} pods in ${result.selectMs}ms; deleted them in ${result.deleteMs}ms at concurrency ${CONCURRENCY} (per pod p50 ${perPod.p50}ms, p99 ${perPod.p99}ms); peak RSS ${result.peakRssMb}MB`);
  if (!result.pass) process.exitCode = 1;
}

if (process.argv[2] === 'simulator') await simulatorRole();
else await main();
