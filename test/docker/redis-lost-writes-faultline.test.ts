// examples/redis-lost-writes through faultline, against real Redis and Sentinel: the primary is
// partitioned from its replica and the Sentinels, a failover follows, and the writes the old
// primary acknowledged meanwhile are discarded when it rejoins. recovery PASS, durability FAIL
// with the lost count and window; and faultline's lost count must equal, exactly, an independent
// read-back (read-back.mjs, sharing no code with faultline) of the history's acknowledged keys
// from the new primary. The bounded variant (min-replicas-max-lag 2) keeps the RPO within the lag
// plus what Redis's once-a-second check adds.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Journal, ObjectiveVerdict } from '../../src/domain/model.js';
import { journalIn, runCli } from '../support/cli.js';
import { EXAMPLE, useRedisLostWrites } from './redis-lost-writes-example.js';

const { up, outDir, readBack } = useRedisLostWrites('rlwf');

async function faultline(file: string): Promise<{ code: number | null; journal: Journal; history: string; output: string }> {
  const out = outDir();
  const r = await runCli(['run', join(EXAMPLE, file), '--out', out], { cwd: EXAMPLE });
  const journal = journalIn(out);
  const [runDir] = readdirSync(out).filter((d) => !/\.(xml|md|html)$/.test(d));
  return { code: r.code, journal, history: join(out, runDir!, 'history.jsonl'), output: r.stdout + r.stderr };
}

const verdict = (j: Journal, kind: ObjectiveVerdict['kind']) => j.verdicts.find((v) => v.kind === kind)!;
describe('examples/redis-lost-writes through faultline, against real Redis and Sentinel', { timeout: 300_000 }, () => {
  it('lost-writes.yaml: recovery PASS, durability FAIL with the lost count and window, equal to the independent read-back', async () => {
    await up('unbounded');
    const { code, journal: j, history, output } = await faultline('lost-writes.yaml');
    expect(code, output).toBe(1);
    expect(j.unclean).toBe(false);
    expect(verdict(j, 'recovery').status).toBe('met');
    const durability = verdict(j, 'durability');
    expect(durability.status).toBe('missed');
    const f = durability.figures;
    expect(f.lost!).toBeGreaterThan(100);
    // The lost window opens at the cut (give or take a write not yet replicated) and closes after the heal (10s), at the demotion.
    expect(f.lostWindowStartMs!).toBeGreaterThan(-1000);
    expect(f.lostWindowEndMs!).toBeGreaterThan(10_000);
    expect(f.rpoMs!).toBeCloseTo(f.lostWindowEndMs! - f.lostWindowStartMs!, 0);

    const independent = await readBack(history);
    expect(independent.acknowledged).toBe(f.acknowledged);
    expect(independent.lost).toBe(f.lost);
  });

  it('bounded-lost-writes.yaml: the primary refuses writes once its replica lags 2s, so the RPO stays within the lag plus what is measured', async () => {
    await up('bounded');
    const { code, journal: j, history, output } = await faultline('bounded-lost-writes.yaml');
    expect(j.unclean).toBe(false);
    expect(verdict(j, 'recovery').status).toBe('met');
    const rpo = verdict(j, 'rpo');
    const f = rpo.figures;
    expect(f.lost!).toBeGreaterThan(0);
    // Redis counts the lag in whole seconds from the replica's once-a-second ACK and re-checks it once a second: 2s plus up to 2s, well under the 10s partition.
    expect(f.rpoMs!).toBeLessThanOrEqual(5000);
    expect(rpo.status).toBe('met');
    expect(code, output).toBe(j.verdicts.every((v) => v.status === 'met') ? 0 : 1);

    const independent = await readBack(history);
    expect(independent.acknowledged).toBe(f.acknowledged);
    expect(independent.lost).toBe(f.lost);
  });
});
