// examples/restore-drill through faultline, against a real PostgreSQL: a `command` takes a
// pg_dump backup, another destroys the database and restores it (its revert). The drill must
// recover (RTO), lose about the rows of the time between the backup and the destruction (RPO),
// and count them; with a torn backup the restore "succeeds" but durability FAILS.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockExample } from '../support/example-lock.js';
import type { Journal, ObjectiveVerdict } from '../../src/domain/model.js';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { journalIn, runCli } from '../support/cli.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'restore-drill');
const PORT = 26432;
const made: string[] = [];

let release = () => {};
// The other test file of this example uses the same port.
beforeAll(async () => {
  release = await lockExample('restore-drill');
}, 900_000);

afterAll(async () => {
  try {
    // An interrupted drill could leave a server on its run directory: clean.sh stops it.
    for (const run of made) await promisify(execFile)('bash', [join(dir, 'clean.sh')], { env: { ...process.env, DRILL_RUN: run } });
    for (const run of made) rmSync(run, { recursive: true, force: true });
    expect(await addressInUse(`127.0.0.1:${PORT}`)).toBe(false);
  } finally {
    release();
  }
});

async function drill(file: string): Promise<{ code: number | null; journal: Journal; output: string }> {
  const run = mkdtempSync(join(tmpdir(), 'faultline-drill-'));
  // The server runs as the postgres user (pg-env.sh): it must be able to reach its run directory.
  chmodSync(run, 0o755);
  made.push(run);
  const out = join(run, 'out');
  const r = await runCli(['run', join(dir, file), '--out', out], { env: { DRILL_RUN: join(run, 'pg') } });
  let journal: Journal;
  try {
    journal = journalIn(out);
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; the run exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, journal, output: r.stdout + r.stderr };
}

const verdict = (j: Journal, kind: ObjectiveVerdict['kind']) => j.verdicts.find((v) => v.kind === kind)!;
const injectedAt = (j: Journal, fault: string) => j.faults.find((f) => f.name === fault)!.injectedAt!;
const commandOf = (j: Journal, fault: string, type: 'inject' | 'revert') =>
  j.events.find((e): e is Extract<Journal['events'][number], { type: 'inject' | 'revert' }> => e.type === type && 'fault' in e && e.fault === fault)!.command!;

describe('examples/restore-drill through faultline, against a real PostgreSQL', { timeout: 180_000 }, () => {
  it('good backup: recovery PASS with the RTO, RPO about the time between the backup and the destruction, the lost rows counted', async () => {
    const { code, journal: j, output } = await drill('restore-drill.yaml');
    expect(code, output).toBe(0);
    expect(j.unclean).toBe(false);
    expect(commandOf(j, 'backup', 'inject')).toMatchObject({ exitCode: 0, command: ['bash', 'backup.sh'] });
    expect(commandOf(j, 'disaster', 'revert')).toMatchObject({ exitCode: 0, command: ['bash', 'restore.sh'] });

    const recovery = verdict(j, 'recovery');
    expect(recovery.status).toBe('met');
    // The RTO of the drill: from the destruction until the database answers again (the restore included).
    expect(recovery.figures.outageMs).toBeGreaterThan(0);

    const rpo = verdict(j, 'rpo');
    const durability = verdict(j, 'durability');
    expect(rpo.status).toBe('met');
    expect(durability.status).toBe('met');
    const lost = durability.figures.lost!;
    expect(lost).toBeGreaterThan(0);
    expect(durability.measured).toBe(lost);
    // pg_dump's snapshot is taken during backup.sh; the kill lands during destroy.sh: the RPO is the
    // span between them, give or take the two commands' durations.
    const gap = injectedAt(j, 'disaster') - injectedAt(j, 'backup');
    const slack = commandOf(j, 'backup', 'inject').durationMs + commandOf(j, 'disaster', 'inject').durationMs + 500;
    expect(rpo.measured!).toBeGreaterThan(gap - slack);
    expect(rpo.measured!).toBeLessThan(gap + slack);
    // Nothing acknowledged before the backup is lost.
    expect(durability.figures.lostWindowStartMs!).toBeGreaterThanOrEqual(-1);
  });

  it('torn backup: the restore exits 0 and the service recovers, but durability FAILS: rows from before the backup are gone', async () => {
    const { code, journal: j, output } = await drill('corrupt-backup.yaml');
    expect(code, output).toBe(1);
    expect(j.unclean).toBe(false);
    expect(commandOf(j, 'disaster', 'revert')).toMatchObject({ exitCode: 0 });
    expect(verdict(j, 'recovery').status).toBe('met');
    const durability = verdict(j, 'durability');
    expect(durability.status).toBe('missed');
    // Writes acknowledged before the backup (2s before the first injection) are lost too.
    expect(durability.figures.lostWindowStartMs!).toBeLessThan(-1000);
    expect(durability.figures.lost!).toBeGreaterThan(250);
  });
});
