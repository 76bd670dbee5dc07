// The seed a schedule's whole sequence derives from: --seed, else spec.seed, else a fresh one that
// is logged so that a run can still be replayed.
import { freshSeed } from '../runtime/random.js';

export function scheduleSeed(fromSpec: string | number | undefined, fromFlag: string | undefined): { value: string; given: boolean } {
  if (fromFlag !== undefined) return { value: fromFlag, given: true };
  if (fromSpec !== undefined) return { value: String(fromSpec), given: true };
  return { value: freshSeed(), given: false };
}
