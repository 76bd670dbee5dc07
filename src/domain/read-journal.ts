// A journal.json as written by this or an earlier faultline, in today's shape. Pure: parsed JSON in.
import type { Journal, ObjectiveVerdict } from './model.js';

/** Before 0.2 an objective's bound was written as `target` (the word now means a selected victim only). */
type LegacyVerdict = Omit<ObjectiveVerdict, 'bound'> & { bound?: number; target?: number };

export function readJournal(parsed: unknown): Journal {
  const j = parsed as Journal;
  if (j === null || typeof j !== 'object' || j.schemaVersion !== 1 || typeof j.startedAt !== 'number') throw new Error('not a faultline journal');
  if (!Array.isArray(j.verdicts)) return j;
  return {
    ...j,
    verdicts: (j.verdicts as LegacyVerdict[]).map(({ target, ...v }) => ({ ...v, bound: v.bound ?? target ?? Number.NaN })),
  };
}
