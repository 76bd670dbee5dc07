// Human time to detect as a verdict: the first Detected mark after the first injection against
// `within`; unknown without a logbook or when the run ended too soon to tell; missed when a
// logbook was open and nobody marked it in time.
import { describe, expect, it } from 'vitest';
import type { DetectionSpec } from '../../src/domain/alerts.js';
import { evaluate } from '../../src/slo/evaluate.js';
import { evaluateHumanDetection } from '../../src/slo/human-detection.js';
import type { FaultRecord } from '../../src/slo/types.js';

const spec: DetectionSpec = { by: 'human', within: 60_000 };
const faults: FaultRecord[] = [{ name: 'pause-1', kind: 'pause', injectedAt: 10_000, revertedAt: 40_000, instant: false }];
const window = { start: 10_000, end: 100_000 };
const mark = (t: number, by = 'alice') => ({ t, by, via: 'dashboard' as const });

describe('human detection verdicts', () => {
  it('met: the first mark after the first injection, measured from it', () => {
    const v = evaluateHumanDetection(spec, { detected: [mark(5_000, 'early'), mark(52_000), mark(58_000, 'bob')] }, faults, window);
    expect(v).toMatchObject({ kind: 'detection', status: 'met', met: true, measured: 42_000, bound: 60_000, unit: 'ms', objective: 'a person notices within 1m' });
    expect(v.figures).toEqual({ ttdMs: 42_000 });
    expect(v.detail).toBe('alice noticed through a dashboard 42s after the first injection (target 1m)');
  });

  it('missed: marked too late, or a logbook was open and nobody marked it', () => {
    expect(evaluateHumanDetection(spec, { detected: [mark(80_000)] }, faults, window)).toMatchObject({ status: 'missed', measured: 70_000 });
    const none = evaluateHumanDetection(spec, { detected: [mark(5_000)] }, faults, window);
    expect(none).toMatchObject({ status: 'missed', measured: null, figures: { ttdMs: null } });
    expect(none.detail).toBe('not detected within 1m: nobody marked Detected in the console (a mark made before the first injection does not count)');
  });

  it('unknown: no logbook to mark in, or the run ended before within had passed', () => {
    const noLogbook = evaluateHumanDetection(spec, undefined, faults, window);
    expect(noLogbook).toMatchObject({ status: 'unknown', met: false, measured: null });
    expect(noLogbook.detail).toMatch(/^not judged: the run had no logbook to mark Detected in \(run it with --console, or in a game day\)/);
    const short = evaluateHumanDetection(spec, { detected: [] }, faults, { start: 10_000, end: 40_000 });
    expect(short).toMatchObject({ status: 'unknown' });
    expect(short.detail).toBe('could not tell: nobody had marked Detected when the run ended 30s after the first injection, before 1m had passed');
  });

  it('missed without any injection, as an alert detection is', () => {
    expect(evaluateHumanDetection(spec, { detected: [mark(52_000)] }, [], window)).toMatchObject({ status: 'missed', measured: null });
  });

  it('evaluate() judges by: human from the logbook and by: alert from the observers', () => {
    const [human, alert] = evaluate({ objectives: [{ detection: spec }, { detection: { observer: 'alerts', alert: 'X', within: 1_000 } }], samples: [], faults, window, logbook: { detected: [mark(12_000)] } });
    expect(human).toMatchObject({ status: 'met', measured: 2_000 });
    expect(alert).toMatchObject({ status: 'unknown', observer: 'alerts' });
  });
});
