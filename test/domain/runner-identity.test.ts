import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runnerAlive } from '../../src/ledger/runs.js';
import type { LedgerState } from '../../src/ledger/records.js';
import { processStartTime } from '../../src/runtime/processes.js';

function stateOf(pid: number, pidStart?: string): LedgerState {
  return {
    run: { type: 'run', runId: 'r', pid, ...(pidStart ? { pidStart } : {}), hostname: hostname(), startedAt: 0, experiment: 'x', driver: 'process', settings: {} },
    ended: undefined,
    outstanding: [],
    services: new Map(),
    swept: false,
  };
}

describe('a run\'s runner is recognised by pid and start time', () => {
  it('alive when both match; a different start time (a recycled pid) is not the runner', async () => {
    const child = spawn('sleep', ['30']);
    await new Promise((r) => setTimeout(r, 50));
    try {
      const start = processStartTime(child.pid!);
      expect(start).toMatch(/^\d+$/);
      expect(runnerAlive(stateOf(child.pid!, start))).toBe(true);
      expect(runnerAlive(stateOf(child.pid!, String(Number(start) + 1)))).toBe(false);
    } finally {
      child.kill();
    }
  });
});
