import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { diagnosticsOf, processExperiment } from './helpers.js';

// Line 18 is `observers:`, 19 its first entry, 20 `objectives:`, 21 the first objective.
const withObservers = (observers: string, objectives: string) => processExperiment('    - kill: { target: db }', `  observers:\n${observers}\n  objectives:\n${objectives}`);
const lines = (text: string) => diagnosticsOf(text).map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`);

describe('spec.observers and detection objectives', () => {
  it('accepts an Alertmanager or a Prometheus observer and a detection by alert name or matchers', () => {
    const text = withObservers(
      '    alerts: { alertmanager: "http://127.0.0.1:9093" }\n    prom: { prometheus: "http://127.0.0.1:9090", every: 250ms }',
      '    - detection: { observer: alerts, alert: InstanceDown, within: 2m }\n    - detection: { observer: prom, matchers: { alertname: WritesFailing, job: kv }, within: 1m, resolvedWithin: 5m }',
    );
    const { spec } = parseExperiment(text, 'x.yaml').experiment;
    expect(spec.observers).toEqual({ alerts: { alertmanager: 'http://127.0.0.1:9093', every: 1000 }, prom: { prometheus: 'http://127.0.0.1:9090', every: 250 } });
    expect(spec.objectives).toEqual([
      { detection: { observer: 'alerts', alert: 'InstanceDown', within: 120_000 } },
      { detection: { observer: 'prom', matchers: { alertname: 'WritesFailing', job: 'kv' }, within: 60_000, resolvedWithin: 300_000 } },
    ]);
  });

  it('locates an observer URL that does not parse', () => {
    expect(lines(withObservers('    alerts: { alertmanager: "127.0.0.1:9093" }', '    - detection: { observer: alerts, alert: X, within: 1m }'))).toEqual([
      '19:29 spec.observers.alerts.alertmanager: expected an absolute http(s) URL, e.g. "http://127.0.0.1:9093" (found "127.0.0.1:9093")',
    ]);
    expect(lines(withObservers('    alerts: { prometheus: "ftp://host:21" }', '    - detection: { observer: alerts, alert: X, within: 1m }'))[0]).toMatch(/^19:27 spec\.observers\.alerts\.prometheus: expected an absolute http\(s\) URL/);
  });

  it('names an unknown observer kind and an unknown observer, with suggestions', () => {
    expect(lines(withObservers('    alerts: { alertmanger: "http://127.0.0.1:9093" }', '    - detection: { observer: alerts, alert: X, within: 1m }'))[0]).toMatch(/^19:15 spec\.observers\.alerts\.alertmanger: unknown observer kind "alertmanger", did you mean "alertmanager"\?/);
    expect(lines(withObservers('    alerts: { alertmanager: "http://127.0.0.1:9093" }', '    - detection: { observer: alert, alert: X, within: 1m }'))).toEqual([
      '21:30 spec.objectives[0].detection.observer: unknown observer "alert", did you mean "alerts"? (spec.observers has: alerts)',
    ]);
  });

  it('needs exactly one of alert and matchers', () => {
    const obs = '    alerts: { alertmanager: "http://127.0.0.1:9093" }';
    expect(lines(withObservers(obs, '    - detection: { observer: alerts, within: 1m }'))).toEqual(['21:18 spec.objectives[0].detection: a detection objective needs "alert" or "matchers"']);
    expect(lines(withObservers(obs, '    - detection: { observer: alerts, alert: X, matchers: { job: kv }, within: 1m }'))[0]).toMatch(/spec\.objectives\[0\]\.detection\.matchers: a detection objective takes "alert" or "matchers", not both$/);
  });
});
