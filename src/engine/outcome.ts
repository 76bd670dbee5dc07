// How a run's journal maps to the process exit code. Documented in the README and --help.
import type { Journal } from '../domain/model.js';
import { nothingJudged } from '../domain/nothing-judged.js';

export const EXIT = {
  ok: 0,
  objectiveMissed: 1,
  invalidInput: 2,
  aborted: 3,
  unclean: 4,
  interrupted: 130,
} as const;

/**
 * An objective that could not be judged (status unknown) has met=false, so it deviates and exits 1
 * like a miss; a run that declared no objectives judged nothing, which is not a pass either.
 */
export function exitCodeOf(j: Pick<Journal, 'status' | 'deviated' | 'unclean' | 'verdicts'>): number {
  if (j.unclean) return EXIT.unclean;
  if (j.status === 'interrupted') return EXIT.interrupted;
  if (j.status === 'aborted' || j.status === 'failed') return EXIT.aborted;
  return j.deviated || nothingJudged(j) ? EXIT.objectiveMissed : EXIT.ok;
}
