// `faultline halt`: the emergency stop. Sets the lock first (so nothing new starts), asks every
// live run to revert and exit (SIGTERM), and rolls back every run that does not, or is gone.
// Works from ledgers alone: no experiment file is read.
import path from 'node:path';
import { EXIT } from '../engine/outcome.js';
import { readLedger } from '../ledger/ledger-file.js';
import { releaseHaltLock, setHaltLock } from '../ledger/halt-lock.js';
import { ledgerState } from '../ledger/records.js';
import { runnerAlive, unfinishedRuns, type KnownRun } from '../ledger/runs.js';
import { defaultStateDir } from '../ledger/state-dir.js';
import { systemClock } from '../runtime/system-clock.js';
import { formatReport, rollbackKnownRun, sweepOrphans } from './rollback-runs.js';
import { withKubeconfig } from './rollback-command.js';
import type { Terminal } from './terminal.js';

export interface HaltOptions {
  release?: boolean;
  reason?: string;
  stateDir?: string;
  /** Used for Kubernetes runs instead of the kubeconfig each run recorded. */
  kubeconfig?: string;
  /** How long a live run gets to revert on its own before it is killed and rolled back. */
  graceMs?: number;
}

export async function haltCommand(o: HaltOptions, term: Terminal): Promise<number> {
  const stateDir = path.resolve(o.stateDir ?? defaultStateDir());
  if (o.release) {
    term.out(releaseHaltLock(stateDir) ? 'halt lock released: runs may start again' : 'faultline was not halted');
    return EXIT.ok;
  }
  setHaltLock(stateDir, { at: new Date(systemClock.now()).toISOString(), ...(o.reason ? { reason: o.reason } : {}) });
  term.out(`halt lock set: no run starts until \`faultline halt --release\``);

  const runs = unfinishedRuns(stateDir);
  const live = runs.filter((r) => r.runnerAlive);
  for (const r of live) {
    term.out(`stopping run ${r.state.run.runId} (${r.state.run.experiment}, pid ${r.state.run.pid})`);
    try {
      process.kill(r.state.run.pid, 'SIGTERM');
    } catch {
      // already gone: rolled back below
    }
  }
  await Promise.all(live.map((r) => waitForEnd(r, o.graceMs ?? 8000)));

  let failed = 0;
  for (const r of unfinishedRuns(stateDir)) {
    if (runnerAlive(r.state)) {
      term.err(`run ${r.state.run.runId} did not stop within the grace period: killing it and rolling back`);
      try {
        process.kill(r.state.run.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    const report = await rollbackKnownRun(withKubeconfig(r, o.kubeconfig), 'halt');
    failed += report.failed.length;
    term.out(formatReport(report, r.state.run.experiment));
  }
  for (const x of await sweepOrphans()) term.out(`removed  ${x} (no ledger)`);
  return failed ? EXIT.unclean : EXIT.ok;
}

async function waitForEnd(r: KnownRun, graceMs: number): Promise<void> {
  const deadline = systemClock.now() + graceMs;
  while (systemClock.now() < deadline) {
    const s = ledgerState(readLedger(r.file));
    if (!s || s.ended || !runnerAlive(s)) return;
    await systemClock.sleep(50);
  }
}
