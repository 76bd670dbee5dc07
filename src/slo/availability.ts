// Availability: the share of passing samples from the first injection to the end of observation.
import type { ObjectiveVerdict, Sample } from '../domain/model.js';
import { describeAvailability, formatPercent } from './describe.js';
import { samplesOf, within } from './select.js';
import type { AvailabilitySpec, Window } from './types.js';

export function evaluateAvailability(o: AvailabilitySpec, samples: readonly Sample[], window: Window): ObjectiveVerdict {
  const inWindow = within(samplesOf(samples, o.probe), window.start, window.end);
  const passed = inWindow.filter((s) => s.ok).length;
  const base = { objective: describeAvailability(o), kind: 'availability' as const, probe: o.probe, bound: o.atLeast, unit: '%' as const };
  const figures = { samples: inWindow.length, passed, failed: inWindow.length - passed };
  if (inWindow.length === 0) {
    return { ...base, status: 'missed', met: false, measured: null, figures, detail: `no samples of ${o.probe} between the first injection and the end of observation (target >= ${formatPercent(o.atLeast)})` };
  }
  const measured = (passed / inWindow.length) * 100;
  return {
    ...base, status: measured >= o.atLeast ? 'met' : 'missed', met: measured >= o.atLeast, measured, figures,
    detail: `${formatPercent(measured)} available, ${passed} of ${inWindow.length} samples passed (target >= ${formatPercent(o.atLeast)})`,
  };
}
