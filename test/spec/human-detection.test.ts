// A human detection objective: `detection: { by: human, within }`, beside the alert-based one,
// whose format is unchanged; nothing of an alert's fields is accepted with it, and an alert-based
// one still needs its observer.
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { diagnosticsOf, processExperiment } from './helpers.js';

// Line 18 is `observers:`, 19 its first entry, 20 `objectives:`, 21 the first objective.
const withObservers = (objectives: string) => processExperiment('    - kill: { target: db }', `  observers:\n    alerts: { alertmanager: "http://127.0.0.1:9093" }\n  objectives:\n${objectives}`);
const lines = (text: string) => diagnosticsOf(text).map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`);

describe('detection by a human', () => {
  it('is declared with by: human and a within, next to detection by an alert', () => {
    const text = withObservers('    - detection: { by: human, within: 2m }\n    - detection: { observer: alerts, alert: InstanceDown, within: 1m }');
    const { spec } = parseExperiment(text, 'x.yaml').experiment;
    expect(spec.objectives).toEqual([
      { detection: { by: 'human', within: 120_000 } },
      { detection: { observer: 'alerts', alert: 'InstanceDown', within: 60_000 } },
    ]);
    expect(parseExperiment(withObservers('    - detection: { by: alert, observer: alerts, alert: X, within: 1m }'), 'x.yaml').experiment.spec.objectives).toEqual([{ detection: { by: 'alert', observer: 'alerts', alert: 'X', within: 60_000 } }]);
  });

  it('takes none of an alert\'s fields, each located', () => {
    expect(lines(withObservers('    - detection: { by: human, observer: alerts, alert: X, within: 1m }'))).toEqual([
      '21:41 spec.objectives[0].detection.observer: "observer" is for detection by an alert; a human detection takes only "within" (the first Detected mark after the first injection) (found "alerts")',
      '21:56 spec.objectives[0].detection.alert: "alert" is for detection by an alert; a human detection takes only "within" (the first Detected mark after the first injection) (found "X")',
    ]);
    expect(lines(withObservers('    - detection: { by: person, within: 1m }'))[0]).toBe('21:24 spec.objectives[0].detection.by: expected one of "alert", "human", found "person"');
  });

  it('an alert-based detection still needs its observer', () => {
    expect(lines(withObservers('    - detection: { alert: X, within: 1m }'))).toEqual([
      '21:18 spec.objectives[0].detection: a detection objective needs "observer" (an observer from spec.observers), or by: human for a Detected mark in the console',
    ]);
  });
});
