// A run that declared no objectives judged nothing: it is never reported as a pass, because a
// green result would claim a measurement that was never made.
import type { Journal } from './model.js';

export const NOTHING_JUDGED = 'no objectives declared: nothing was judged';

/** A completed run without a single verdict. (An interrupted or aborted run already fails for its own reason.) */
export function nothingJudged(j: Pick<Journal, 'status' | 'verdicts'>): boolean {
  return j.status === 'completed' && j.verdicts.length === 0;
}
