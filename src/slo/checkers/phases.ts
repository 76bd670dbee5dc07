// Which phase an instant belongs to, and each phase's span. Boundaries: baseline is
// [baselineStart, faultStart), fault is [faultStart, faultEnd], recovery is (faultEnd, end]. An
// instant before baselineStart counts as baseline and one after `end` as recovery (or baseline when
// no fault was injected), so every operation lands in exactly one phase.
import type { PhaseBounds, PhaseName } from '../../domain/history.js';

export const PHASE_NAMES: readonly PhaseName[] = ['baseline', 'fault', 'recovery', 'run'];

/** The phase of `t`, never 'run'. */
export function phaseOf(t: number, b: PhaseBounds): Exclude<PhaseName, 'run'> {
  if (b.faultStart === null || t < b.faultStart) return 'baseline';
  if (b.faultEnd === null || t <= b.faultEnd) return 'fault';
  return 'recovery';
}

/** A phase's [start, end] in epoch ms, or null when it did not happen. A fault never reverted lasts to the end. */
export function phaseSpan(phase: PhaseName, b: PhaseBounds): { start: number; end: number } | null {
  switch (phase) {
    case 'run':
      return { start: b.baselineStart, end: b.end };
    case 'baseline':
      return { start: b.baselineStart, end: b.faultStart ?? b.end };
    case 'fault':
      return b.faultStart === null ? null : { start: b.faultStart, end: b.faultEnd ?? b.end };
    case 'recovery':
      return b.faultStart === null || b.faultEnd === null ? null : { start: b.faultEnd, end: b.end };
  }
}
