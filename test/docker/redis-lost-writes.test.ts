// examples/redis-lost-writes against real Redis and Sentinel, without faultline: its by-hand proof
// must show the lost writes the experiments are about, and the independent read-back must count
// exactly what the proof counts. These are the facts the experiments' verdicts rest on.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lockExample } from '../support/example-lock.js';
import { Lab, ensureDocker } from './lab.js';

const run = promisify(execFile);
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'redis-lost-writes');
const lab = new Lab('rlw');
const outDirs: string[] = [];

interface Proof {
  acknowledged: number;
  lost: number;
  lostPerOldPrimaryNowReplica: number;
  acknowledgedAfterCut: number;
  lostBeforeCut: number;
  cutTookMs: number;
  timesFromCutMs: { failover: number; heal: number; demoted: number; synced: number };
  lostWindowFromCutMs: [number, number] | null;
  rpoMs: number;
  lastAckAfterCutMs: number | null;
  firstRefusalAfterCut: { atMs: number; error: string } | null;
  readBackRightAfterHeal: { oldPrimaryMisses: number; newPrimaryMisses: number };
  history: string;
}

async function up(variant: 'unbounded' | 'bounded'): Promise<void> {
  await run('bash', [join(dir, 'up.sh'), ...(variant === 'bounded' ? ['bounded'] : [])], {
    env: { ...process.env, RLW_LABELS: `faultline.test=1 faultline.test.lab=${lab.id}` },
    timeout: 120_000,
  });
}

async function prove(): Promise<Proof> {
  const out = mkdtempSync(join(tmpdir(), 'rlw-test-'));
  outDirs.push(out);
  const { stdout } = await run('node', [join(dir, 'prove-by-hand.mjs'), '--out', out], { cwd: dir, timeout: 150_000 });
  return JSON.parse(stdout.slice(stdout.indexOf('\n{') + 1)) as Proof;
}

async function readBack(history: string, url: string): Promise<{ acknowledged: number; lost: number }> {
  const { stdout } = await run('node', [join(dir, 'read-back.mjs'), history, url, '--workload', 'orders'], { timeout: 30_000 });
  return JSON.parse(stdout) as { acknowledged: number; lost: number };
}

const down = () => run('bash', [join(dir, 'down.sh')], { timeout: 60_000 });

let release = () => {};
// The other test file of this example uses the same container names and subnet.
beforeAll(async () => {
  release = await lockExample('redis-lost-writes');
  await ensureDocker();
}, 900_000);
afterEach(down, 60_000);
afterAll(async () => {
  try {
    await down();
    await lab.cleanup();
    for (const d of outDirs) rmSync(d, { recursive: true, force: true });
    expect(await lab.leftovers()).toEqual([]);
  } finally {
    release();
  }
}, 60_000);

describe('examples/redis-lost-writes by hand, against real Redis and Sentinel', { timeout: 240_000 }, () => {
  it('unbounded: every write acknowledged from the cut to the demotion is lost, and the independent read-back counts the same', async () => {
    await up('unbounded');
    const p = await prove();
    // The scenario happened in order: failover during the partition, demotion after the heal.
    expect(p.timesFromCutMs.failover).toBeLessThan(p.timesFromCutMs.heal);
    expect(p.timesFromCutMs.demoted).toBeGreaterThan(p.timesFromCutMs.heal);
    // Lost: exactly the writes acknowledged after the cut, plus any acknowledged while it was
    // being put in place (not yet replicated).
    expect(p.lost).toBeGreaterThan(100);
    expect(p.lost).toBe(p.acknowledgedAfterCut + p.lostBeforeCut);
    expect(p.lostWindowFromCutMs![0]).toBeGreaterThanOrEqual(-p.cutTookMs - 50);
    // The old primary acknowledged writes after the heal, until Sentinel demoted it.
    expect(p.lastAckAfterCutMs!).toBeGreaterThan(p.timesFromCutMs.heal);
    expect(p.lastAckAfterCutMs!).toBeLessThanOrEqual(p.timesFromCutMs.synced);
    // A read-back from the old primary before its demotion finds everything: the false PASS.
    expect(p.readBackRightAfterHeal.oldPrimaryMisses).toBe(0);
    expect(p.readBackRightAfterHeal.newPrimaryMisses).toBeGreaterThan(0);
    // Once it is a replica in sync, it agrees with the new primary.
    expect(p.lostPerOldPrimaryNowReplica).toBe(p.lost);

    const independent = await readBack(p.history, 'redis://10.214.40.11:6379');
    expect(independent).toMatchObject({ acknowledged: p.acknowledged, lost: p.lost });
  });

  it('bounded (min-replicas-max-lag 2): the primary refuses writes within seconds of the cut, so the loss is bounded', async () => {
    await up('bounded');
    const p = await prove();
    expect(p.firstRefusalAfterCut?.error).toMatch(/^NOREPLICAS/);
    expect(p.lost).toBeGreaterThan(0);
    expect(p.lost).toBe(p.acknowledgedAfterCut + p.lostBeforeCut);
    // Redis counts the lag in whole seconds from the replica's once-a-second ACK and re-checks it
    // once a second: about the configured 2s plus up to 2s. 5s is bounded-lost-writes.yaml's rpo
    // objective; an unbounded primary acknowledges for the whole partition and beyond (10s+).
    expect(p.lastAckAfterCutMs!).toBeLessThan(p.timesFromCutMs.heal);
    expect(p.lastAckAfterCutMs!).toBeLessThanOrEqual(5000);
    expect(p.rpoMs).toBeLessThanOrEqual(5000);
    const independent = await readBack(p.history, 'redis://10.214.40.11:6379');
    expect(independent).toMatchObject({ acknowledged: p.acknowledged, lost: p.lost });
  });
});
