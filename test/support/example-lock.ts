// An example owns fixed names (containers, a subnet, a port, a run directory), so two test files
// that drive the same example must take turns, whatever order and workers vitest gives them: each
// holds this lock, across processes, from its first test to its last. A lock whose holder is gone
// (a killed worker) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processAlive } from '../../src/runtime/processes.js';

/** Waits (up to `ms`) for the example's lock; resolves with its release. */
export async function lockExample(example: string, ms = 600_000): Promise<() => void> {
  const dir = path.join(tmpdir(), `faultline-example-${example}.lock`);
  const owner = path.join(dir, 'pid');
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let pid = 0;
    try {
      pid = Number(readFileSync(owner, 'utf8'));
    } catch {
      // Being written by the process that just made the directory.
    }
    if (pid > 0 && !processAlive(pid)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`example ${example} is still in use by process ${pid || '?'} after ${ms} ms (lock ${dir})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
