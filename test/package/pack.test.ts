// The package as a user gets it: `npm pack`, installed into an empty project, then run from there:
// `faultline --version`, `faultline demo`, and the GitHub Action's script with the variables GitHub
// sets. The installed CLI runs in a network namespace of its own (unshare -n, loopback only), so
// the demo's fixed ports never meet another test's.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = process.cwd();
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
let work: string;
let app: string;
let tarball: string;
let files: string[];

/** A command in a fresh network namespace with only loopback up; resolves with its exit code and output. */
async function isolated(cwd: string, command: string, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return exec('unshare', ['-n', 'sh', '-c', `ip link set lo up && ${command}`], { cwd, env: { ...process.env, FAULTLINE_STATE_DIR: path.join(work, 'state'), ...env }, maxBuffer: 64 << 20, timeout: 240_000 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'faultline-pack-'));
  // dist/ is built by pretest; --ignore-scripts keeps `npm pack` from building it a second time.
  const packed = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 64 << 20 });
  const [info] = JSON.parse(packed.stdout) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  tarball = path.join(work, info!.filename);
  files = info!.files.map((f) => f.path);
  console.log(`npm pack: ${info!.filename}, ${(info!.size / 1024).toFixed(0)} KiB packed, ${(info!.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${files.length} files`);
  app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  // From the npm cache that `npm ci` filled where it can; the registry otherwise.
  await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, maxBuffer: 64 << 20, timeout: 600_000 });
}, 660_000);

afterAll(async () => {
  // Nothing runs past a test (each waits for its CLI); the folder is temporary.
  if (work && existsSync(work)) await exec('rm', ['-rf', work]);
});

describe('the packed package', () => {
  it('holds the CLI, the library, the schemas and the examples, and no tests, benches or fixtures', () => {
    expect(files).toContain('bin/faultline');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/vitest.js');
    expect(files).toContain('schema/experiment.schema.json');
    expect(files).toContain('examples/kv/kill-primary.yaml');
    expect(files.filter((f) => /^(test|bench|docs)\/|fixtures|\.test\.|\.bench\./.test(f))).toEqual([]);
    // The start-up snapshot's bundle and what makes the snapshot from it, never a snapshot: it only
    // loads in the Node binary that made it (docs/start-up.md).
    expect(files).toContain('dist/snapshot/faultline.cjs');
    expect(files).toContain('scripts/snapshot-blob.mjs');
    expect(files.filter((f) => f.includes('.blob'))).toEqual([]);
  });

  it('makes its start-up snapshot for this Node on first use, and answers the same from it', async () => {
    const snap = path.join(app, 'node_modules/faultline/dist/snapshot');
    const example = 'node_modules/faultline/examples/kv/kill-primary.yaml';
    const plain = await isolated(app, `node_modules/.bin/faultline validate ${example}`, { FAULTLINE_SNAPSHOT: '0' });
    expect(plain.code).toBe(0);
    // The package's install script makes it where npm runs it (npm 11 runs a dependency's only when
    // the project allows it); otherwise the first `validate` starts the plain way and makes it in the
    // background. Either way it is there soon after, for this Node.
    const first = await isolated(app, `node_modules/.bin/faultline validate ${example}`);
    expect(first).toEqual(plain);
    const deadline = Date.now() + 120_000;
    while (!existsSync(path.join(snap, 'faultline.blob.stamp')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(path.join(snap, 'faultline.blob.stamp'), 'utf8').split('\n')[0]).toBe(realpathSync(process.execPath));
    expect(await isolated(app, `node_modules/.bin/faultline validate ${example}`)).toEqual(plain);

    // dockerode is in the snapshot; docker-modem's HTTP module is loaded from the installed
    // node_modules on the first engine call. An engine that is not there is named alike either way.
    const dockerKill = path.join(work, 'docker-kill.yaml');
    writeFileSync(dockerKill, 'apiVersion: faultline/v1\nkind: Experiment\nmetadata: { name: k }\nspec:\n  driver: docker\n  targets:\n    v: { selector: { labels: { app: x } } }\n  faults:\n    - kill: { target: v }\n');
    const noEngine = { DOCKER_HOST: `unix://${path.join(work, 'no-engine.sock')}` };
    const unreachable = /cannot reach the Docker engine at unix:\/\/\S+no-engine\.sock \(DOCKER_HOST\): no socket there/;
    for (const env of [{ ...noEngine, FAULTLINE_SNAPSHOT: '0' }, noEngine]) {
      const r = await isolated(app, `node_modules/.bin/faultline run ${dockerKill}`, env);
      expect(r.out).toMatch(unreachable);
      expect(r.code).toBe(3);
    }
  });

  it('installs into an empty project and answers --version', async () => {
    const r = await isolated(app, 'node_modules/.bin/faultline --version');
    expect(r).toEqual({ code: 0, out: `${version}\n` });
  });

  it('runs the demo from the installed package', async () => {
    const r = await isolated(app, `node_modules/.bin/faultline demo --out ${path.join(work, 'demo')}`);
    expect(r.out).toMatch(/Demo finished as designed/);
    expect(r.code).toBe(0);
  });

  it('is importable as a library, with its matchers', async () => {
    writeFileSync(path.join(app, 'use.mjs'), "import { experiment, toMeetObjectives } from 'faultline';\nconst handle = experiment('node_modules/faultline/examples/kv/kill-primary.yaml');\nconst loaded = await handle.load();\nconsole.log(loaded.experiment.metadata.name, typeof toMeetObjectives);\n");
    const r = await isolated(app, 'node use.mjs');
    expect(r).toEqual({ code: 0, out: 'kill-primary function\n' });
  });
});

describe('the GitHub Action (action.yml) run as GitHub runs it', () => {
  /** The environment GitHub gives a composite step, for the action's script. */
  function github(inputs: Record<string, string>): { env: Record<string, string>; summary: string; output: string } {
    const dir = mkdtempSync(path.join(work, 'gh-'));
    const summary = path.join(dir, 'step_summary.md');
    const output = path.join(dir, 'output');
    writeFileSync(summary, '## Earlier step\n');
    writeFileSync(output, '');
    const env: Record<string, string> = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: app, GITHUB_ACTION_PATH: root, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, RUNNER_TEMP: dir };
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
    return { env, summary, output };
  }

  it('runs the experiment with the installed faultline, appends the summary, writes JUnit and passes the exit code on', async () => {
    const gh = github({ experiment: 'node_modules/faultline/examples/kv/kill-primary.yaml', junit: 'reports/junit.xml', markdown: 'true', out: 'runs' });
    const r = await isolated(app, `bash ${path.join(root, 'scripts/github-action.sh')}`, gh.env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('::group::faultline run node_modules/faultline/examples/kv/kill-primary.yaml');
    const summary = readFileSync(gh.summary, 'utf8');
    expect(summary.startsWith('## Earlier step\n')).toBe(true);
    expect(summary).toMatch(/kill-primary/);
    expect(readFileSync(path.join(app, 'reports/junit.xml'), 'utf8')).toMatch(/<testsuite[^>]*failures="0"/);
    const outputs = readFileSync(gh.output, 'utf8');
    expect(outputs).toMatch(/^exit-code=0$/m);
    const runDir = /^run-dir=(.+)$/m.exec(outputs)?.[1];
    expect(runDir && existsSync(path.join(runDir, 'journal.json'))).toBe(true);
    expect(readdirSync(path.join(app, 'runs')).length).toBeGreaterThan(0);
  });

  it('fails the step with faultline exit code 1 when an objective is missed, and says why', async () => {
    const gh = github({ experiment: 'node_modules/faultline/examples/kv/partition-replica.yaml', markdown: 'true' });
    const r = await isolated(app, `bash ${path.join(root, 'scripts/github-action.sh')}`, gh.env);
    expect(r.code).toBe(1);
    expect(r.out).toContain('::error title=faultline::an objective was missed');
    expect(readFileSync(gh.output, 'utf8')).toMatch(/^exit-code=1$/m);
    expect(readFileSync(gh.summary, 'utf8')).toMatch(/partition-replica/);
  });

  it('refuses a missing experiment before running anything (exit 2)', async () => {
    const gh = github({ experiment: 'nope.yaml' });
    const r = await isolated(app, `bash ${path.join(root, 'scripts/github-action.sh')}`, gh.env);
    expect(r.code).toBe(2);
    expect(r.out).toContain("::error title=faultline action::no experiment file at 'nope.yaml'");
  });
});
