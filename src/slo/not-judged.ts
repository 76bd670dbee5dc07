// Declared objectives that were never judged (the run never started): each is still listed, as
// unknown with the reason, so no report says "No objectives" when some were declared. The verdict's
// shape (description, kind, bound, unit) comes from evaluating the objective on no data at all, so
// every objective kind is covered by the same code that judges it.
import type { ObjectiveSpec } from '../domain/experiment.js';
import type { ObjectiveVerdict } from '../domain/model.js';
import { evaluate } from './evaluate.js';

/** One unknown verdict per declared objective, each saying why it was not judged. */
export function notJudged(objectives: readonly ObjectiveSpec[], why: string): ObjectiveVerdict[] {
  const shapes = evaluate({ objectives: [...objectives], samples: [], faults: [], window: { start: 0, end: 0 } });
  return shapes.map(({ lostSample: _lost, ...v }) => ({ ...v, status: 'unknown', met: false, measured: null, detail: `not judged: ${why}`, figures: {} }));
}
