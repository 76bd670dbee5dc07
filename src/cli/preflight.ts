// Before a run touches anything: the emergency-stop lock must be clear, and no earlier run may
// have left faults behind (a new run on top of an old fault measures the wrong thing).
import { EnvironmentError } from '../domain/errors.js';
import { describeLock, readHaltLock } from '../ledger/halt-lock.js';
import { unfinishedRuns } from '../ledger/runs.js';

export function preflight(stateDir: string): void {
  const lock = readHaltLock(stateDir);
  if (lock) throw new EnvironmentError(describeLock(lock, stateDir));
  const left = unfinishedRuns(stateDir).filter((r) => !r.runnerAlive);
  if (left.length) {
    const lines = left.map((r) => `  run ${r.state.run.runId} (${r.state.run.experiment}): ${r.state.outstanding.length} fault(s) may still be in place`);
    throw new EnvironmentError(`a previous run left faults behind, so this one will not start:\n${lines.join('\n')}\nrun \`faultline rollback\` to revert them (state dir ${stateDir})`);
  }
}
