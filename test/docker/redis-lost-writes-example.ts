// examples/redis-lost-writes for its two test files (by hand, and through faultline): bring it up
// and down with the lab's labels, read acknowledged writes back independently, and take turns with
// the other file (same container names and subnet) through the example's lock.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { lockExample } from '../support/example-lock.js';
import { Lab, ensureDocker } from './lab.js';

export const run = promisify(execFile);
export const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'redis-lost-writes');
/** Where the replica listens: the primary after the failover. */
export const NEW_PRIMARY = 'redis://10.214.40.11:6379';

/** Registers the file's hooks (lock, engine, teardown after each test and at the end). */
export function useRedisLostWrites(labName: string) {
  const lab = new Lab(labName);
  const outDirs: string[] = [];
  const down = () => run('bash', [join(EXAMPLE, 'down.sh')], { timeout: 60_000 });
  let release = () => {};
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
  return {
    lab,
    async up(variant: 'unbounded' | 'bounded'): Promise<void> {
      await run('bash', [join(EXAMPLE, 'up.sh'), ...(variant === 'bounded' ? ['bounded'] : [])], {
        env: { ...process.env, RLW_LABELS: `faultline.test=1 faultline.test.lab=${lab.id}` },
        timeout: 120_000,
      });
    },
    /** A fresh directory for a run's output, removed at the end. */
    outDir(): string {
      const out = mkdtempSync(join(tmpdir(), `${labName}-test-`));
      outDirs.push(out);
      return out;
    },
    /** read-back.mjs (no code shared with faultline): the history's acknowledged keys read from `url`. */
    async readBack(history: string, url = NEW_PRIMARY): Promise<{ acknowledged: number; lost: number }> {
      const { stdout } = await run('node', [join(EXAMPLE, 'read-back.mjs'), history, url, '--workload', 'orders'], { timeout: 60_000 });
      return JSON.parse(stdout) as { acknowledged: number; lost: number };
    },
  };
}
