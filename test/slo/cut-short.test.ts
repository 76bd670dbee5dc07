import { describe, expect, it } from 'vitest';
import type { ObjectiveVerdict } from '../../src/domain/model.js';
import { cutShort } from '../../src/slo/index.js';

const verdict = (status: ObjectiveVerdict['status']): ObjectiveVerdict => ({
  objective: 'writes recovers within 10s', kind: 'recovery', probe: 'writes', status, met: status === 'met',
  measured: status === 'unknown' ? null : 1200, bound: 10_000, unit: 'ms', detail: 'recovered in 1.2s', figures: {},
});

describe('cutShort', () => {
  it('turns met and missed into partial, keeping the measured value and which way it pointed', () => {
    const [met, missed] = cutShort([verdict('met'), verdict('missed')], 'interrupted', 'interrupted by SIGINT', true);
    expect(met).toMatchObject({ status: 'partial', met: false, sofar: 'met', measured: 1200 });
    expect(missed).toMatchObject({ status: 'partial', met: false, sofar: 'missed', measured: 1200 });
    expect(met!.detail).toBe('so far met, on the data until the run was interrupted (interrupted by SIGINT): recovered in 1.2s');
  });

  it('keeps unknown as unknown, saying the run was cut short', () => {
    const [v] = cutShort([verdict('unknown')], 'aborted', undefined, true);
    expect(v).toMatchObject({ status: 'unknown', met: false, detail: 'recovered in 1.2s; the run was aborted' });
  });

  it('makes every verdict unknown when no fault was injected: there is nothing to judge against', () => {
    const out = cutShort([verdict('met'), verdict('missed')], 'aborted', 'steady state was not met', false);
    for (const v of out) expect(v).toMatchObject({ status: 'unknown', met: false, measured: null, detail: 'not judged: no fault was injected before the run was aborted (steady state was not met)' });
  });
});
