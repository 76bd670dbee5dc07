// The start-up snapshot (docs/start-up.md) through the executable, as a shell runs it: the build
// made one for this Node; `run` starts from it (seen from the run's own service, which reads its
// parent's command line), and answers as the plain start does; a snapshot that does not belong to
// this build of dist/ or this Node is never used; FAULTLINE_SNAPSHOT=0 turns it off.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { REPO } from '../support/kv.js';

const dir = mkdtempSync(path.join(tmpdir(), 'faultline-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const blob = path.join(REPO, 'dist/snapshot/faultline.blob');

// The victim writes the command line of the process that started it (the faultline run), then
// listens: its ready check makes sure the file is there before anything is killed.
const experiment = path.join(dir, 'parent.yaml');
const victim = `const fs = require('fs'); fs.writeFileSync('parent.txt', fs.readFileSync('/proc/' + process.ppid + '/cmdline', 'utf8').split(String.fromCharCode(0)).join(' ')); require('net').createServer().listen(Number(process.argv[1]), '127.0.0.1')`;
const experimentText = (port: number) => `apiVersion: faultline/v1
kind: Experiment
metadata: { name: parent-command-line }
spec:
  driver: process
  services:
    victim: { command: [node, -e, ${JSON.stringify(victim)}, '${port}'], ready: { tcp: '127.0.0.1:${port}' } }
  targets:
    victim: { selector: { names: [victim] } }
  probes:
    written: { exec: { command: [test, -s, parent.txt] }, every: 50ms }
  faults:
    - kill: { target: victim, signal: SIGKILL }
  objectives:
    - recovery: { probe: written, within: 10s }
    - availability: { probe: written, atLeast: 100% }
  observe: { steadyState: 300ms, recoveryWindow: 300ms }
`;
writeFileSync(experiment, experimentText(1));

// The file is there before the first sample and stays after the kill: the recovery objective waits
// for a sample after the kill, and both objectives pass (exit 0), from the snapshot or not. What
// matters here is how the run was started, and that both starts agree.
const VERDICT = 0;

/** Runs the experiment with `bin` in a directory of its own; the run's parent command line and its result. */
async function parentOf(bin: string | undefined, env: NodeJS.ProcessEnv = {}): Promise<{ cmdline: string; file: string; result: CliResult; runId: string }> {
  // Its own copy of the file: a process service runs in its experiment file's directory.
  const cwd = mkdtempSync(path.join(dir, 'run-'));
  const file = path.join(cwd, 'parent.yaml');
  writeFileSync(file, experimentText(await freePort()));
  const result = await runCli(['run', file, '--out', path.join(cwd, 'runs')], { cwd, env, ...(bin ? { bin } : {}) });
  const cmdline = existsSync(path.join(cwd, 'parent.txt')) ? readFileSync(path.join(cwd, 'parent.txt'), 'utf8') : '';
  return { cmdline, file, result, runId: /run (\d{8}-\d{6}-[0-9a-f]+)/.exec(result.stdout + result.stderr)?.[1] ?? '' };
}

describe('start-up snapshot', () => {
  it('was made by the build, for this Node and this build of dist/', () => {
    expect(existsSync(blob)).toBe(true);
    const stamp = readFileSync(`${blob}.stamp`, 'utf8').split('\n');
    expect(stamp[0]).toBe(realpathSync(process.execPath));
  });

  it('is what `run` starts from, and two runs from it are two runs (nothing of the build is frozen in)', async () => {
    const a = await parentOf(undefined);
    const b = await parentOf(undefined);
    for (const r of [a, b]) {
      expect(r.result.code, r.result.stdout + r.result.stderr).toBe(VERDICT);
      expect(r.cmdline).toContain(`--snapshot-blob ${blob} run ${r.file}`);
    }
    expect(a.runId).not.toBe('');
    expect(a.runId).not.toBe(b.runId);
  });

  it('is not used with FAULTLINE_SNAPSHOT=0, and the plain start gives the same verdict', async () => {
    const plain = await parentOf(undefined, { FAULTLINE_SNAPSHOT: '0' });
    expect(plain.result.code).toBe(VERDICT);
    expect(plain.cmdline).toContain(`${path.join(REPO, 'dist/cli/entry.js')} run ${plain.file}`);
    expect(plain.cmdline).not.toContain('--snapshot-blob');
  });

  it('answers `validate` as the plain start does: good file, bad file, exit codes', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(experiment, 'utf8').replace('kill: { target: victim', 'kill: { target: nobody'));
    for (const args of [['validate', experiment], ['validate', bad], ['validate', experiment, bad]]) {
      const fast = await runCli(args);
      const plain = await runCli(args, { env: { FAULTLINE_SNAPSHOT: '0' } });
      expect({ code: fast.code, stdout: fast.stdout, stderr: fast.stderr }).toEqual({ code: plain.code, stdout: plain.stdout, stderr: plain.stderr });
    }
    const r = await runCli(['validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: .*nobody/);
  });

  it('is made, for a copy of the package, from the copy (no path of the build machine), and never from a bundle of another build of dist/', async () => {
    // The package as an install holds it: another folder, mtimes not kept; its packages beside it.
    const pkg = path.join(dir, 'copy');
    for (const f of ['bin', 'dist', 'scripts', 'examples', 'package.json']) cpSync(path.join(REPO, f), path.join(pkg, f), { recursive: true });
    symlinkSync(path.join(REPO, 'node_modules'), path.join(pkg, 'node_modules'));
    const snap = path.join(pkg, 'dist/snapshot');
    const make = () => {
      for (const f of ['faultline.blob', 'faultline.blob.stamp', 'faultline.blob.failed']) rmSync(path.join(snap, f), { force: true });
      const r = spawnSync(process.execPath, [path.join(pkg, 'scripts/snapshot-blob.mjs')], { encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      return existsSync(path.join(snap, 'faultline.blob.stamp'));
    };
    // The copy's snapshot reads the copy's files: the version it prints is the copy's package.json's.
    const manifest = path.join(pkg, 'package.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/"version": "[^"]+"/, '"version": "9.9.9-copy"'));
    expect(make()).toBe(true);
    const fromCopy = await parentOf(path.join(pkg, 'bin/faultline'));
    expect(fromCopy.cmdline).toContain(`--snapshot-blob ${path.join(snap, 'faultline.blob')} run`);
    expect(fromCopy.result.stdout + fromCopy.result.stderr).toContain('faultline 9.9.9-copy: running');
    // dist/ rebuilt without its bundle (tsc alone): no snapshot, and why.
    writeFileSync(path.join(pkg, 'dist/cli/main.js'), `${readFileSync(path.join(pkg, 'dist/cli/main.js'), 'utf8')}// rebuilt\n`);
    expect(make()).toBe(false);
    expect(readFileSync(path.join(snap, 'faultline.blob.failed'), 'utf8')).toMatch(/faultline\.cjs was not made from this build of dist\//);
  }, 180_000);

  it('is never used when its stamp is not this build of dist/ and this Node: the plain start runs', async () => {
    // A copy of the package whose snapshot is the real one, with a stamp of another build.
    const pkg = path.join(dir, 'package');
    mkdirSync(path.join(pkg, 'bin'), { recursive: true });
    mkdirSync(path.join(pkg, 'dist/snapshot'), { recursive: true });
    for (const f of ['faultline', 'start.sh']) copyFileSync(path.join(REPO, 'bin', f), path.join(pkg, 'bin', f));
    symlinkSync(path.join(REPO, 'dist/cli'), path.join(pkg, 'dist/cli'));
    symlinkSync(blob, path.join(pkg, 'dist/snapshot/faultline.blob'));
    const stamp = readFileSync(`${blob}.stamp`, 'utf8');
    writeFileSync(path.join(pkg, 'dist/snapshot/faultline.blob.stamp'), stamp.replace(/\n(\d+) (\d+)\n$/, (_, size: string, t: string) => `\n${size} ${Number(t) - 60}\n`));
    const stale = await parentOf(path.join(pkg, 'bin/faultline'));
    expect(stale.result.code, stale.result.stdout + stale.result.stderr).toBe(VERDICT);
    expect(stale.cmdline).not.toContain('--snapshot-blob');
    expect(stale.cmdline).toContain(`${path.join(pkg, 'dist/cli/entry.js')} run`);
    // The same copy with the real stamp does use it: the copy itself is not what failed.
    writeFileSync(path.join(pkg, 'dist/snapshot/faultline.blob.stamp'), stamp);
    expect((await parentOf(path.join(pkg, 'bin/faultline'))).cmdline).toContain('--snapshot-blob');
  });
});
