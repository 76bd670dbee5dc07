// TEST SEAMS, inert unless their variable is set: they let the safety tests stop a runner exactly
// at an instant a SIGKILL must be survivable at, instead of hoping a kill at a random instant lands
// there:
// - FAULTLINE_TEST_SEAM_HOLDER_CREATED: between creating a holder container and starting it;
// - FAULTLINE_TEST_SEAM_HOLDER_STARTED: the run's engine holder runs, nothing is registered with it;
// - FAULTLINE_TEST_SEAM_HOLD_ACKED: a fault's holder is armed (acknowledged), the fault not applied;
// - FAULTLINE_TEST_SEAM_FAULT_APPLIED: the fault is applied, the ledger does not have its undo yet.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import type { RunContext } from '../../domain/context.js';

export const HOLDER_CREATED_SEAM = 'FAULTLINE_TEST_SEAM_HOLDER_CREATED';
export const HOLDER_STARTED_SEAM = 'FAULTLINE_TEST_SEAM_HOLDER_STARTED';
export const HOLD_ACKED_SEAM = 'FAULTLINE_TEST_SEAM_HOLD_ACKED';
export const FAULT_APPLIED_SEAM = 'FAULTLINE_TEST_SEAM_FAULT_APPLIED';

/**
 * With the variable set to a file path: writes `detail` (a container or hold id) there, then waits
 * until the test deletes the file (or kills the runner). Without it: returns at once.
 */
export async function seam(variable: string, detail: string, ctx: RunContext): Promise<void> {
  const file = process.env[variable];
  if (!file) return;
  // Renamed into place, so the test never reads the file before the detail is in it.
  writeFileSync(`${file}.tmp`, detail);
  renameSync(`${file}.tmp`, file);
  while (existsSync(file)) await ctx.clock.sleep(20, ctx.signal);
}

/** The created holder's id, at FAULTLINE_TEST_SEAM_HOLDER_CREATED. */
export function holderCreatedSeam(containerId: string, ctx: RunContext): Promise<void> {
  return seam(HOLDER_CREATED_SEAM, containerId, ctx);
}
