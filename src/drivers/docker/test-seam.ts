// TEST SEAM, inert unless FAULTLINE_TEST_SEAM_HOLDER_CREATED is set: lets the safety tests stop a
// runner exactly between creating a holder container and starting it (the instant a SIGKILL leaves
// a never-started holder), instead of hoping a kill at a random instant lands there.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import type { RunContext } from '../../domain/context.js';

export const HOLDER_CREATED_SEAM = 'FAULTLINE_TEST_SEAM_HOLDER_CREATED';

/**
 * With the variable set to a file path: writes the created holder's id there, then waits until the
 * test deletes the file (or kills the runner). Without it: returns at once.
 */
export async function holderCreatedSeam(containerId: string, ctx: RunContext): Promise<void> {
  const file = process.env[HOLDER_CREATED_SEAM];
  if (!file) return;
  // Renamed into place, so the test never reads the file before the id is in it.
  writeFileSync(`${file}.tmp`, containerId);
  renameSync(`${file}.tmp`, file);
  while (existsSync(file)) await ctx.clock.sleep(20, ctx.signal);
}
