// Finishing what a run could not: every fault its ledger records as injected and not reverted is
// reverted from its undo record by the driver's handler for its kind (the same revert a live run
// plays), then the driver sweeps for anything tagged with the run id
// (orphans of a fault whose injection was under way when the runner died). Idempotent: a second
// rollback finds nothing outstanding and a sweep that removes nothing.
import type { RunContext } from '../domain/context.js';
import type { Driver } from '../drivers/driver.js';
import { faultOf } from '../drivers/fault-handler.js';
import type { LedgerWriter } from '../ledger/ledger-file.js';
import type { LedgerState } from '../ledger/records.js';

export interface RollbackReport {
  runId: string;
  restored: string[];
  swept: string[];
  failed: string[];
}

export async function rollbackRun(state: LedgerState, driver: Driver, ledger: LedgerWriter, ctx: RunContext, by: 'rollback' | 'watchdog' | 'halt'): Promise<RollbackReport> {
  const report: RollbackReport = { runId: state.run.runId, restored: [], swept: [], failed: [] };
  await Promise.all(
    state.outstanding.map(async (o) => {
      const what = `${o.kind} "${o.fault}" on ${o.target.name}`;
      try {
        // No undo record: the runner died during the injection. The sweep below finds its tags.
        const r = o.undo === undefined ? { note: 'injection was under way; left to the sweep' } : await faultOf(driver.faults, driver.name, o.kind).revert(o.target, o.undo, ctx);
        const note = r.vanished ? `target vanished${r.note ? `: ${r.note}` : ''}` : r.note;
        ledger.append({ type: 'reverted', t: ctx.clock.now(), fault: o.fault, kind: o.kind, target: o.target, by, ...(note ? { note } : {}) });
        report.restored.push(`${what}${note ? ` (${note})` : ''}`);
      } catch (e) {
        report.failed.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  if (driver.sweep) {
    try {
      report.swept = await driver.sweep(state.run.runId, ctx);
      ledger.append({ type: 'swept', t: ctx.clock.now(), by, removed: report.swept });
    } catch (e) {
      report.failed.push(`sweep of run ${state.run.runId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return report;
}
