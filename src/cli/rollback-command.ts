// `faultline rollback [--run ID]`: revert what dead runs left behind, from their ledgers, then
// sweep for orphans by their run-id tags. Idempotent; reports what it found and what it did.
import path from 'node:path';
import { EXIT } from '../engine/outcome.js';
import { runnerAlive, unfinishedRuns, type KnownRun } from '../ledger/runs.js';
import { defaultStateDir } from '../ledger/state-dir.js';
import { formatReport, rollbackKnownRun, sweepOrphans } from './rollback-runs.js';
import type { Terminal } from './terminal.js';

export async function rollbackCommand(o: { run?: string; stateDir?: string; kubeconfig?: string }, term: Terminal): Promise<number> {
  const stateDir = path.resolve(o.stateDir ?? defaultStateDir());
  const runs = unfinishedRuns(stateDir).filter((r) => o.run === undefined || r.state.run.runId === o.run);
  let failed = 0;
  for (const r of runs) {
    if (runnerAlive(r.state)) {
      term.err(`run ${r.state.run.runId} (${r.state.run.experiment}) is still in progress (pid ${r.state.run.pid}); it reverts its own faults — use \`faultline halt\` to stop it now`);
      continue;
    }
    const report = await rollbackKnownRun(withKubeconfig(r, o.kubeconfig), 'rollback');
    failed += report.failed.length;
    term.out(formatReport(report, r.state.run.experiment));
  }
  const orphans = o.run === undefined ? await sweepOrphans() : [];
  for (const x of orphans) term.out(`removed  ${x} (no ledger)`);
  if (runs.length === 0 && orphans.length === 0) term.out(`nothing to roll back (state dir ${stateDir})`);
  return failed ? EXIT.unclean : EXIT.ok;
}

/**
 * --kubeconfig on rollback and halt wins over the path a Kubernetes run recorded: the recorded one
 * may not exist here (another machine, a pod's mounted file), and the user just said which to use.
 */
export function withKubeconfig(r: KnownRun, kubeconfig: string | undefined): KnownRun {
  if (!kubeconfig || r.state.run.driver !== 'kubernetes') return r;
  const settings = { ...r.state.run.settings, kubeconfig: path.resolve(kubeconfig) };
  return { ...r, state: { ...r.state, run: { ...r.state.run, settings } } };
}
