// The `command` fault with real commands through the built CLI: files created by `run` and removed
// by `revert`; exit codes, durations and redacted output in the journal; a failed injection and a
// failed revert; and the revert replayed by `faultline rollback` after a SIGKILL and by the
// watchdog when the time to live passes while the runner hangs.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRun } from '../../src/domain/command.js';
import type { Journal, JournalEvent } from '../../src/domain/model.js';
import { journalIn, runCli, startCli } from '../support/cli.js';
import { processesMentioning } from '../support/leftovers.js';

type StepEvent = Extract<JournalEvent, { type: 'inject' | 'revert' }> & { command?: CommandRun };

const stopped: number[] = [];
afterEach(() => {
  for (const pid of stopped.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** An experiment file in a fresh directory (with a `work` folder), and where its outputs go. */
function drill(faults: string): { dir: string; file: string; out: string; stateDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-command-'));
  mkdirSync(path.join(dir, 'work'));
  const file = path.join(dir, 'drill.yaml');
  writeFileSync(
    file,
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: command-drill }
spec:
  driver: process
  seed: 1
  faults:
${faults}
  observe: { steadyState: 100ms, recoveryWindow: 100ms }
`,
  );
  return { dir, file, out: path.join(dir, 'out'), stateDir: path.join(dir, 'state') };
}

const steps = (j: Journal, fault: string) => j.events.filter((e): e is StepEvent => (e.type === 'inject' || e.type === 'revert') && e.fault === fault);

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ledgerOf(stateDir: string): { file: string; runId: string; text: () => string } {
  const [name] = readdirSync(path.join(stateDir, 'runs'));
  const file = path.join(stateDir, 'runs', name!);
  return { file, runId: name!.replace(/\.ledger$/, ''), text: () => readFileSync(file, 'utf8') };
}

describe('command fault (process driver, real commands)', () => {
  it('runs `run`, holds, runs `revert`; relative paths are the experiment directory\'s; exit codes, durations and redacted output are in the journal', async () => {
    const d = drill(`    - name: note
      command: { run: [./note.sh], env: { TOKEN: "\${env:DRILL_TOKEN}" } }
      at: 0s
    - name: flag
      command: { run: [sh, -c, "echo made > flag && cp flag ../witness"], revert: [rm, flag], cwd: work }
      at: 50ms
      for: 300ms`);
    writeFileSync(path.join(d.dir, 'note.sh'), '#!/bin/sh\necho "token is $TOKEN"\necho "to stderr" >&2\n', { mode: 0o755 });
    // Run from elsewhere: ./note.sh and cwd: work are the experiment file's, not the caller's.
    const r = await runCli(['run', d.file, '--out', d.out], { cwd: tmpdir(), env: { DRILL_TOKEN: 's3cr3t-drill-value', FAULTLINE_STATE_DIR: d.stateDir } });
    // The drill declares no objectives: a clean run that judged nothing exits 1, never as a pass.
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout + r.stderr).toContain('no objectives declared: nothing was judged');
    expect(existsSync(path.join(d.dir, 'witness')), '`run` ran in work/').toBe(true);
    expect(existsSync(path.join(d.dir, 'work', 'flag')), '`revert` removed what `run` made').toBe(false);

    const j = journalIn(d.out);
    const [note] = steps(j, 'note');
    expect(note).toMatchObject({ type: 'inject', ok: true, undo: null });
    expect(note!.command).toMatchObject({ command: [path.join(d.dir, 'note.sh')], cwd: d.dir, exitCode: 0, expected: 0, timedOut: false, stdout: 'token is ***\n', stderr: 'to stderr\n' });
    expect(note!.command!.durationMs).toBeGreaterThanOrEqual(0);
    const [inject, revert] = steps(j, 'flag');
    expect(inject).toMatchObject({ type: 'inject', ok: true, command: { command: ['sh', '-c', 'echo made > flag && cp flag ../witness'], cwd: path.join(d.dir, 'work'), exitCode: 0 } });
    expect(revert).toMatchObject({ type: 'revert', ok: true, command: { command: ['rm', 'flag'], exitCode: 0 } });
    const flag = j.faults.find((f) => f.name === 'flag')!;
    expect(flag.instant).toBe(false);
    expect(flag.revertedAt! - flag.injectedAt!).toBeGreaterThanOrEqual(300);
    expect(j.faults.find((f) => f.name === 'note')!.instant).toBe(true);
    // The value read through ${env:...} is written nowhere: not in the outputs, not in the ledger.
    const written = [...readdirSync(path.join(d.out), { recursive: true, encoding: 'utf8' })].map((f) => path.join(d.out, f)).filter((f) => /\.(json|md|html|xml)$/.test(f));
    for (const f of [...written, ledgerOf(d.stateDir).file]) expect(readFileSync(f, 'utf8'), f).not.toContain('s3cr3t-drill-value');
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-drill-value');
  }, 60_000);

  it('a run that exits with another code than expected is a failed injection: the run fails and reverts what was injected', async () => {
    const d = drill(`    - name: flag
      command: { run: [touch, flag], revert: [rm, flag], cwd: work }
      at: 0s
      for: 5s
    - name: broken
      command: { run: [sh, -c, "echo no backup today >&2; exit 3"], timeout: 5s }
      at: 100ms`);
    const r = await runCli(['run', d.file, '--out', d.out], { env: { FAULTLINE_STATE_DIR: d.stateDir } });
    expect(r.code, r.stderr + r.stdout).toBe(3);
    const j = journalIn(d.out);
    expect(j.status).toBe('failed');
    expect(j.unclean).toBe(false);
    const [broken] = steps(j, 'broken');
    expect(broken).toMatchObject({ type: 'inject', ok: false, command: { exitCode: 3, expected: 0, stderr: 'no backup today\n' } });
    expect(broken!.error).toMatch(/exited 3, expected 0: no backup today/);
    expect(steps(j, 'flag').map((e) => [e.type, e.ok])).toEqual([['inject', true], ['revert', true]]);
    expect(existsSync(path.join(d.dir, 'work', 'flag'))).toBe(false);
  }, 60_000);

  it('the expected exit code is configurable, and a command that outlives its timeout fails as timed out', async () => {
    const d = drill(`    - name: grep-miss
      command: { run: [sh, -c, "exit 1"], exitCode: 1 }
      at: 0s
    - name: slow
      command: { run: [sleep, "30"], timeout: 200ms }
      at: 50ms`);
    const r = await runCli(['run', d.file, '--out', d.out], { env: { FAULTLINE_STATE_DIR: d.stateDir } });
    expect(r.code, r.stderr + r.stdout).toBe(3);
    const j = journalIn(d.out);
    expect(steps(j, 'grep-miss')[0]).toMatchObject({ ok: true, command: { exitCode: 1, expected: 1 } });
    expect(steps(j, 'slow')[0]).toMatchObject({ ok: false, command: { exitCode: null, timedOut: true, timeoutMs: 200 } });
  }, 60_000);

  it('a revert that fails makes the run unclean, naming the leftover', async () => {
    const d = drill(`    - name: wipe
      command: { run: [touch, wiped], revert: [sh, -c, "echo restore failed >&2; exit 7"], cwd: work }
      at: 0s
      for: 100ms`);
    const r = await runCli(['run', d.file, '--out', d.out], { env: { FAULTLINE_STATE_DIR: d.stateDir } });
    expect(r.code, r.stderr + r.stdout).toBe(4);
    const j = journalIn(d.out);
    expect(j.unclean).toBe(true);
    expect(j.leftovers.join('\n')).toMatch(/command "wipe" on host may still be in place \(`sh -c 'echo restore failed >&2; exit 7'` exited 7, expected 0: restore failed\)/);
    const revert = steps(j, 'wipe').find((e) => e.type === 'revert')!;
    expect(revert).toMatchObject({ ok: false, command: { exitCode: 7, stderr: 'restore failed\n' } });
  }, 60_000);

  it('after the runner is SIGKILLed (and its watchdog with it), `faultline rollback` runs the revert command from the ledger', async () => {
    const d = drill(`    - name: flag
      command: { run: [touch, flag], revert: [rm, flag], cwd: work }
      at: 0s
      for: 60s`);
    const env = { FAULTLINE_STATE_DIR: d.stateDir };
    const cli = startCli(['run', d.file, '--out', d.out], { env });
    const flag = path.join(d.dir, 'work', 'flag');
    await until('the command ran', () => existsSync(flag));
    const ledger = ledgerOf(d.stateDir);
    await until('the ledger records the injection', () => ledger.text().includes('"type":"injected"'));
    // A power loss: the watchdog dies too (first, so it cannot see the runner die and replay); only the ledger is left.
    for (const pid of processesMentioning(ledger.file)) process.kill(pid, 'SIGKILL');
    cli.child.kill('SIGKILL');
    await cli.done;
    expect(existsSync(flag)).toBe(true);

    const r = await runCli(['rollback', '--run', ledger.runId], { env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/command "flag" on host/);
    expect(existsSync(flag)).toBe(false);
    expect(ledger.text()).toMatch(/"type":"reverted".*"by":"rollback"/);
    const again = await runCli(['rollback', '--run', ledger.runId], { env });
    expect(again.stdout).toMatch(/nothing to roll back/);
  }, 60_000);

  it('the watchdog runs the revert command once the time to live has passed while the runner hangs', async () => {
    const d = drill(`    - name: flag
      command: { run: [touch, flag], revert: [rm, -f, flag], cwd: work, timeout: 2s }
      at: 0s
      for: 1s`);
    const env = { FAULTLINE_STATE_DIR: d.stateDir };
    const cli = startCli(['run', d.file, '--out', d.out], { env });
    const flag = path.join(d.dir, 'work', 'flag');
    await until('the command ran', () => existsSync(flag));
    const ledger = ledgerOf(d.stateDir);
    await until('the ledger records the injection', () => ledger.text().includes('"type":"injected"'));
    // A hung runner: alive (so the watchdog does not roll back at once), but never reverting. The time
    // to live is for + margin + the revert's own timeout (2s), so a slow revert is never played twice.
    cli.child.kill('SIGSTOP');
    stopped.push(cli.child.pid!);
    await until('the watchdog records its revert', () => /"type":"reverted".*"by":"watchdog".*time to live exceeded/.test(ledger.text()));
    expect(existsSync(flag)).toBe(false);
    cli.child.kill('SIGKILL');
    await cli.done;
    await until('the watchdog exits', () => processesMentioning(ledger.file).length === 0);
  }, 60_000);

  it('bad input is rejected before anything runs: a missing program (file:line:col), "for" on an instant command, none on a held one', async () => {
    const missing = drill(`    - command: { run: [./no-such-step.sh] }
      at: 0s
    - command: { run: [touch, x], revert: [no-such-program-faultline] }
      at: 0s
      for: 1s`);
    const v = await runCli(['validate', missing.file]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(new RegExp(`drill\\.yaml:8:\\d+.*program "\\./no-such-step\\.sh" was not found \\(looked for ${missing.dir}/no-such-step\\.sh`));
    expect(v.stderr).toMatch(/drill\.yaml:10:\d+.*program "no-such-program-faultline" was not found on PATH/);
    const run = await runCli(['run', missing.file, '--out', missing.out], { env: { FAULTLINE_STATE_DIR: missing.stateDir } });
    expect(run.code).toBe(2);
    expect(existsSync(missing.stateDir), 'nothing was started: no ledger').toBe(false);

    const timing = drill(`    - command: { run: [touch, x] }
      at: 0s
      for: 1s
    - command: { run: [touch, x], revert: [rm, x] }
      at: 0s`);
    const t = await runCli(['validate', timing.file]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/a "command" fault without "revert" is instant, so it takes no "for"/);
    expect(t.stderr).toMatch(/a "command" fault with "revert" is held and then reverted, so it needs "for"/);

    const env = drill(`    - command: { run: [touch, x], env: { A: "\${env:FAULTLINE_NOT_SET_ANYWHERE}" } }
      at: 0s`);
    const e = await runCli(['validate', env.file]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/environment variable FAULTLINE_NOT_SET_ANYWHERE is not set/);
  }, 60_000);
});
