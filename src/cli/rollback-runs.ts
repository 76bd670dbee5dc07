// Shared by `rollback` and `halt`: rebuild each run's driver from its ledger and finish its
// reverts; then remove what runs nobody is running any more left without a ledger.
import path from 'node:path';
import { silentLogger, type RunContext } from '../domain/context.js';
import { rollbackRun, type RollbackReport } from '../engine/rollback.js';
import { LedgerWriter } from '../ledger/ledger-file.js';
import type { KnownRun } from '../ledger/runs.js';
import { randomStream } from '../runtime/random.js';
import { systemClock } from '../runtime/system-clock.js';
import { createDriver } from './create-driver.js';

export async function rollbackKnownRun(run: KnownRun, by: 'rollback' | 'halt'): Promise<RollbackReport> {
  const { state } = run;
  const ctx: RunContext = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: state.run.runId, rng: randomStream(state.run.runId, by) };
  const writer = new LedgerWriter(run.file);
  try {
    const driver = await createDriver(state.run.driver, {
      baseDir: path.dirname(state.run.file ?? '/'),
      clock: systemClock,
      ...(state.run.settings.dockerHost ? { dockerHost: state.run.settings.dockerHost, dockerHostFrom: `the ledger of run ${state.run.runId}` } : {}),
      ...(state.run.settings.kubeContext ? { kubeContext: state.run.settings.kubeContext, kubeContextFrom: `the ledger of run ${state.run.runId}` } : {}),
      ...(state.run.settings.kubeconfig ? { kubeconfig: state.run.settings.kubeconfig } : {}),
    });
    return await rollbackRun(state, driver, writer, ctx, by);
  } catch (e) {
    return { runId: state.run.runId, restored: [], swept: [], failed: [`cannot reach the ${state.run.driver} driver: ${e instanceof Error ? e.message : String(e)}`] };
  } finally {
    writer.close();
  }
}

/**
 * What runs whose runner is gone left behind even when their ledger is lost, for every driver that
 * can find such things without a ledger (today: the process driver's tagged services).
 */
export async function sweepOrphans(): Promise<string[]> {
  const ctx: RunContext = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: 'sweep', rng: randomStream('sweep', 'sweep') };
  const driver = await createDriver('process', { baseDir: process.cwd(), clock: systemClock });
  try {
    return (await driver.sweepOrphans?.(ctx)) ?? [];
  } finally {
    await driver.close(ctx);
  }
}

export function formatReport(r: RollbackReport, experiment: string): string {
  const lines = [`run ${r.runId} (${experiment}): ${r.restored.length} fault(s) restored, ${r.swept.length} orphan(s) removed${r.failed.length ? `, ${r.failed.length} FAILED` : ''}`];
  for (const x of r.restored) lines.push(`  restored ${x}`);
  for (const x of r.swept) lines.push(`  removed  ${x}`);
  for (const x of r.failed) lines.push(`  FAILED   ${x}`);
  return lines.join('\n');
}
