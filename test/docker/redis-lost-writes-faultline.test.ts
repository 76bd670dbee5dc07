// examples/redis-lost-writes through faultline, against real Redis and Sentinel: the primary is
// partitioned from its replica and the Sentinels, a failover follows, and the writes the old
// primary acknowledged meanwhile are discarded when it rejoins. recovery PASS, durability FAIL
// with the lost count and window; and faultline's lost count must equal, exactly, an independent
// read-back (read-back.mjs, sharing no code with faultline) of the history's acknowledged keys
// from the new primary. The bounded variant (min-replicas-max-lag 2) keeps the RPO within the lag
// plus what Redis's once-a-second check adds.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lockExample } from '../support/example-lock.js';
import type { Journal, ObjectiveVerdict } from '../../src/domain/model.js';
import { journalIn, runCli } from '../support/cli.js';
import { Lab, ensureDocker } from './lab.js';

const run = promisify(execFile);
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'redis-lost-writes');
const lab = new Lab('rlwf');
const outDirs: string[] = [];
const NEW_PRIMARY = 'redis://10.214.40.11:6379';

async function up(variant: 'unbounded' | 'bounded'): Promise<void> {
  await run('bash', [join(dir, 'up.sh'), ...(variant === 'bounded' ? ['bounded'] : [])], {
    env: { ...process.env, RLW_LABELS: `faultline.test=1 faultline.test.lab=${lab.id}` },
    timeout: 120_000,
  });
}

async function faultline(file: string): Promise<{ code: number | null; journal: Journal; history: string; output: string }> {
  const out = mkdtempSync(join(tmpdir(), 'rlwf-test-'));
  outDirs.push(out);
  const r = await runCli(['run', join(dir, file), '--out', out], { cwd: dir });
  const journal = journalIn(out);
  const [runDir] = readdirSync(out).filter((d) => !/\.(xml|md|html)$/.test(d));
  return { code: r.code, journal, history: join(out, runDir!, 'history.jsonl'), output: r.stdout + r.stderr };
}

async function readBack(history: string): Promise<{ acknowledged: number; lost: number }> {
  const { stdout } = await run('node', [join(dir, 'read-back.mjs'), history, NEW_PRIMARY, '--workload', 'orders'], { timeout: 60_000 });
  return JSON.parse(stdout) as { acknowledged: number; lost: number };
}

const verdict = (j: Journal, kind: ObjectiveVerdict['kind']) => j.verdicts.find((v) => v.kind === kind)!;
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
