// examples/redis-lost-writes against real Redis and Sentinel, without faultline: its by-hand proof
// must show the lost writes the experiments are about, and the independent read-back must count
// exactly what the proof counts. These are the facts the experiments' verdicts rest on.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, run, useRedisLostWrites } from './redis-lost-writes-example.js';

const { up, outDir, readBack } = useRedisLostWrites('rlw');

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

async function prove(): Promise<Proof> {
  const { stdout } = await run('node', [join(EXAMPLE, 'prove-by-hand.mjs'), '--out', outDir()], { cwd: EXAMPLE, timeout: 150_000 });
  return JSON.parse(stdout.slice(stdout.indexOf('\n{') + 1)) as Proof;
}

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
