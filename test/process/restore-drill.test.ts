// examples/restore-drill against a real PostgreSQL, without faultline: the by-hand drill must lose
// exactly the rows of the time between the backup and the disaster, and with the torn backup the
// restore must "succeed" and bring back none of them. These are the facts the experiments'
// verdicts rest on.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockExample } from '../support/example-lock.js';
import { addressInUse } from '../../src/drivers/process/readiness.js';

const run = promisify(execFile);
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'restore-drill');
const PORT = 26432;

interface Drill {
  acknowledged: number;
  acknowledgedBeforeBackup: number;
  acknowledgedBetweenBackupAndDestroy: number;
  lost: number;
  lostAcknowledgedBeforeBackup: number;
  lostAcknowledgedAfterRestore: number;
  lostWindowFromDestroyMs: [number, number] | null;
  rpoMs: number;
  backupToDestroyMs: number;
  rtoMs: number;
  timesFromDestroyMs: { backupStarted: number; backupEnded: number; restoreEnded: number; writesBack: number };
}

async function drill(...args: string[]): Promise<Drill> {
  const { stdout } = await run('node', [join(dir, 'prove-by-hand.mjs'), ...args], { cwd: dir, timeout: 120_000 });
  return JSON.parse(stdout.slice(stdout.indexOf('\n{') + 1)) as Drill;
}

let release = () => {};
// The other test file of this example uses the same port.
beforeAll(async () => {
  release = await lockExample('restore-drill');
}, 900_000);

afterAll(async () => {
  try {
    expect(await addressInUse(`127.0.0.1:${PORT}`)).toBe(false);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('restore-drill-'))).toEqual([]);
  } finally {
    release();
  }
});

describe('examples/restore-drill by hand, against a real PostgreSQL', { timeout: 150_000 }, () => {
  it('good backup: the rows acknowledged between the backup and the disaster are lost, none before; RPO is that span', async () => {
    const d = await drill();
    expect(d.lost).toBeGreaterThan(50);
    expect(d.lostAcknowledgedBeforeBackup).toBe(0);
    expect(d.lostAcknowledgedAfterRestore).toBe(0);
    // pg_dump takes its snapshot a little after backup.sh starts, and the kill lands a little
    // after destroy.sh starts: the lost window sits inside [backup started, destroy + 1s].
    expect(d.lostWindowFromDestroyMs![0]).toBeGreaterThanOrEqual(d.timesFromDestroyMs.backupStarted);
    expect(d.lostWindowFromDestroyMs![0]).toBeLessThanOrEqual(d.timesFromDestroyMs.backupEnded + 1000);
    expect(d.lostWindowFromDestroyMs![1]).toBeLessThan(1000);
    expect(d.rpoMs).toBeLessThanOrEqual(d.backupToDestroyMs + 1000);
    expect(d.rpoMs).toBeGreaterThanOrEqual(d.backupToDestroyMs - (d.timesFromDestroyMs.backupEnded - d.timesFromDestroyMs.backupStarted));
    expect(d.rtoMs).toBeGreaterThan(0);
  });

  it('torn backup: the restore exits 0 and the server comes back, but every row acknowledged before the disaster is gone', async () => {
    const d = await drill('--corrupt');
    expect(d.acknowledgedBeforeBackup).toBeGreaterThan(0);
    expect(d.lostAcknowledgedBeforeBackup).toBe(d.acknowledgedBeforeBackup);
    expect(d.lost).toBeGreaterThanOrEqual(d.acknowledgedBeforeBackup + d.acknowledgedBetweenBackupAndDestroy);
    expect(d.lostAcknowledgedAfterRestore).toBe(0);
    // Writes were accepted again after the restore: the service "recovered".
    expect(d.timesFromDestroyMs.writesBack).toBeGreaterThan(0);
  });
});
