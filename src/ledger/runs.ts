// Which runs in the state directory may have left something behind, and whether their runner is
// still alive. Reading only.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { processAlive, processStartTime } from '../runtime/processes.js';
import { ledgerFiles, readLedger } from './ledger-file.js';
import { ledgerState, type LedgerState } from './records.js';
import { runsDir } from './state-dir.js';

export interface KnownRun {
  file: string;
  state: LedgerState;
  /** The process that ran it still exists on this host. */
  runnerAlive: boolean;
}

export function runnerAlive(state: LedgerState): boolean {
  if (state.ended) return false;
  if (state.run.hostname !== hostname()) return false;
  if (!processAlive(state.run.pid)) return false;
  // A recycled pid is not our runner: `halt` would otherwise signal an unrelated process.
  if (state.run.pidStart !== undefined) return processStartTime(state.run.pid) === state.run.pidStart;
  try {
    const cmd = readFileSync(`/proc/${state.run.pid}/cmdline`, 'utf8');
    return /faultline|node/.test(cmd);
  } catch {
    return false;
  }
}

/** Runs that may need attention: not cleanly ended, or ended with faults still outstanding. */
export function unfinishedRuns(stateDir: string): KnownRun[] {
  const out: KnownRun[] = [];
  for (const file of ledgerFiles(runsDir(stateDir))) {
    const state = ledgerState(readLedger(file));
    if (!state) continue;
    const dirty = state.outstanding.length > 0 || (!state.swept && (!state.ended || state.ended.unclean));
    if (!dirty) continue;
    out.push({ file, state, runnerAlive: runnerAlive(state) });
  }
  return out;
}
