// Test matchers over a run's result (or its journal), for vitest and jest alike: both call a
// matcher with the received value and its arguments and read { pass, message }. A failure prints
// the verdict table, which is what a test author needs to see to know why.
import type { Journal, ObjectiveVerdict } from '../domain/model.js';
import { formatDuration, parseDuration } from '../domain/units.js';
import { exitCodeOf } from '../engine/outcome.js';
import { renderVerdictTable } from '../report/index.js';
import type { ExperimentResult } from './result.js';

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function journalOf(received: unknown): Journal {
  const r = received as Partial<ExperimentResult> & Partial<Journal>;
  if (r && typeof r === 'object' && r.journal && Array.isArray(r.journal.verdicts)) return r.journal;
  if (r && typeof r === 'object' && Array.isArray(r.verdicts) && typeof r.status === 'string' && Array.isArray(r.events)) return r as Journal;
  throw new TypeError('expected the result of experiment(...).run() or a faultline journal');
}

const table = (j: Journal) => renderVerdictTable(j, { color: false });

/** Every objective met, and the run completed and cleaned up: exit code 0. */
export function toMeetObjectives(received: unknown): MatcherResult {
  const j = journalOf(received);
  const code = exitCodeOf(j);
  return {
    pass: code === 0,
    message: () => (code === 0 ? `expected the run not to meet its objectives, but it did:\n${table(j)}` : `expected the run to meet its objectives (exit 0), but it exited ${code}:\n${table(j)}`),
  };
}

/** Every recovery objective measured a recovery no longer than `within` ("2s", "500ms" or ms). */
export function toRecoverWithin(received: unknown, within: string | number): MatcherResult {
  const j = journalOf(received);
  const limit = typeof within === 'number' ? within : parseDuration(within);
  if (typeof limit !== 'number') throw new TypeError(`toRecoverWithin: ${limit.error}`);
  const recoveries = j.verdicts.filter((v) => v.kind === 'recovery');
  const slow = recoveries.filter((v) => v.measured === null || v.measured > limit);
  const pass = recoveries.length > 0 && slow.length === 0;
  const shown = (v: ObjectiveVerdict) => `${v.objective}: ${v.measured === null ? `not measured (${v.status})` : formatDuration(v.measured)}`;
  return {
    pass,
    message: () =>
      recoveries.length === 0
        ? `expected a recovery within ${formatDuration(limit)}, but the run has no recovery objective:\n${table(j)}`
        : pass
          ? `expected a recovery slower than ${formatDuration(limit)}, but: ${recoveries.map(shown).join('; ')}`
          : `expected every recovery within ${formatDuration(limit)}, but: ${slow.map(shown).join('; ')}\n${table(j)}`,
  };
}

export const faultlineMatchers = { toMeetObjectives, toRecoverWithin };

export interface FaultlineMatchers<R = unknown> {
  /** Every objective met and the run completed cleanly (exit code 0); prints the verdict table when not. */
  toMeetObjectives(): R;
  /** Every recovery objective recovered within this duration ("2s", or milliseconds). */
  toRecoverWithin(within: string | number): R;
}
