// What each command loads before it acts, through the built CLI started the plain way (`node
// bin/faultline`: no start-up snapshot, docs/start-up.md, which is what it falls back to): `--version` loads no package,
// `validate` no driver SDK or workload client, a Docker client none of dockerode's BuildKit or SSH
// machinery, and a run without workloads no workload client. Loading is what the control path's
// time goes to (bench/control-path.bench.mjs measures it); this only checks what is loaded, never how long.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/faultline');
const dir = mkdtempSync(path.join(tmpdir(), 'faultline-start-cost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ES modules are seen by a load hook; CommonJS ones (dockerode and what it requires) are in the require cache at exit.
const hooks = path.join(dir, 'hooks.mjs');
writeFileSync(hooks, `import { writeSync } from 'node:fs';\nexport async function load(url, context, next) { writeSync(2, 'LOADED ' + url + '\\n'); return next(url, context); }\n`);
const register = path.join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { createRequire, register } from 'node:module';
import { writeSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => { for (const f of Object.keys(cache)) writeSync(2, 'LOADED ' + f + '\\n'); });
`,
);

/** The packages (under node_modules) a node process loaded, and its output. */
function packagesLoaded(args: string[]): { packages: Set<string>; status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  const packages = new Set<string>();
  for (const m of r.stderr.matchAll(/^LOADED .*node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) packages.add(m[1]!);
  return { packages, status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^LOADED .*\n/gm, '') };
}

const DRIVER_SDKS = ['dockerode', 'docker-modem', '@kubernetes/client-node'];
const WORKLOAD_CLIENTS = ['undici', 'ioredis', 'pg', 'hdr-histogram-js'];
const DOCKER_EXTRAS = ['@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'ssh2'];
// Loaded only by a run that exports a trace (OTEL_EXPORTER_OTLP_*), some 280 modules, or pushes metrics.
const TRACING = ['prom-client', '@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/resources'];

describe('what a command loads', () => {
  it('--version and -V load no package at all and print the version', () => {
    const { version } = JSON.parse(spawnSync('cat', [path.join(root, 'package.json')], { encoding: 'utf8' }).stdout) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = packagesLoaded([bin, flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
      expect([...r.packages]).toEqual([]);
    }
  });

  it('validate loads no driver SDK, no workload client and no tracing SDK', () => {
    const file = path.join(dir, 'kill.yaml');
    writeFileSync(file, 'apiVersion: faultline/v1\nkind: Experiment\nmetadata: { name: k }\nspec:\n  driver: docker\n  targets:\n    v: { selector: { labels: { app: x } } }\n  faults:\n    - kill: { target: v }\n');
    const r = packagesLoaded([bin, 'validate', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('ok');
    expect(r.packages.has('zod')).toBe(true);
    for (const p of [...DRIVER_SDKS, ...WORKLOAD_CLIENTS, ...TRACING]) expect(r.packages.has(p), p).toBe(false);
  });

  it("a Docker client loads dockerode without its BuildKit session and SSH transport, which still load on first use", () => {
    const script = path.join(dir, 'client.mjs');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
const { dockerClient } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/drivers/docker/index.js')).href)});
const { docker } = dockerClient({ env: {} });
if (typeof docker.getContainer !== 'function') throw new Error('not a Dockerode client');
const cache = createRequire(import.meta.url).cache;
const loaded = (name) => Object.keys(cache).some((f) => f.includes('/node_modules/' + name + '/'));
const before = loaded('ssh2');
const ssh = Object.entries(cache).find(([f]) => /docker-modem\\/lib\\/ssh\\.js$/.test(f))[1].exports;
const agent = ssh({ host: '127.0.0.1' });
console.log(JSON.stringify({ before, after: loaded('ssh2'), agent: typeof agent.createConnection }));
`,
    );
    const r = packagesLoaded([script]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ before: false, after: true, agent: 'function' });
    expect(r.packages.has('dockerode')).toBe(true);
    for (const p of [...DOCKER_EXTRAS.filter((p) => p !== 'ssh2'), '@kubernetes/client-node']) expect(r.packages.has(p), p).toBe(false);
  });

  it('a run without workloads or tracing loads no workload client, no HDR histogram, no tracing SDK and no driver SDK it does not use', () => {
    const file = path.join(dir, 'trivial.yaml');
    writeFileSync(
      file,
      'apiVersion: faultline/v1\nkind: Experiment\nmetadata: { name: trivial }\nspec:\n  driver: process\n  services:\n    victim: { command: [sleep, "30"] }\n  targets:\n    victim: { selector: { names: [victim] } }\n  probes:\n    ok: { exec: { command: ["true"] }, every: 50ms }\n  faults:\n    - kill: { target: victim, signal: SIGKILL }\n  objectives:\n    - recovery: { probe: ok, within: 10s }\n  observe: { steadyState: 0s }\n',
    );
    const r = packagesLoaded([bin, 'run', file, '--quiet', '--out', path.join(dir, 'runs'), '--state-dir', path.join(dir, 'state')]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('PASSED');
    for (const p of [...DRIVER_SDKS, ...WORKLOAD_CLIENTS, ...TRACING]) expect(r.packages.has(p), p).toBe(false);
  });
});
