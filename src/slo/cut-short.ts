// A run that did not complete (interrupted, aborted, failed) still has data: every declared
// objective is judged on it, but never as met or missed, because the observation it needs was
// cut short. Pure: verdicts in, verdicts out.
import type { ObjectiveVerdict, RunStatus } from '../domain/model.js';

/**
 * Every verdict of a run that ended as `status` before its observation was complete: judged ones
 * become `partial` (with `sofar` keeping which way the data pointed); when no fault was injected,
 * there is nothing to judge against, so every verdict becomes `unknown`.
 */
export function cutShort(verdicts: readonly ObjectiveVerdict[], status: RunStatus, reason: string | undefined, anyInjected: boolean): ObjectiveVerdict[] {
  const why = `the run was ${status}${reason ? ` (${reason})` : ''}`;
  return verdicts.map((v) => {
    if (!anyInjected) return { ...v, status: 'unknown', met: false, measured: null, detail: `not judged: no fault was injected before ${why}` };
    if (v.status === 'unknown') return { ...v, detail: `${v.detail}; ${why}` };
    const sofar = v.status === 'met' ? 'met' : 'missed';
    return { ...v, status: 'partial', met: false, sofar, detail: `so far ${sofar}, on the data until ${why}: ${v.detail}` };
  });
}
