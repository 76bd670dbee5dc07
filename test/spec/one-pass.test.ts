// `validate` reports schema problems and reference problems in one pass: the reference checks run
// on the parts of the file that passed the schema, and stay quiet about references to parts that did not.
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, processExperiment } from './helpers.js';

const lines = (text: string) => diagnosticsOf(text).map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`);

describe('schema and reference problems in one pass', () => {
  it('a bad duration and an unknown target, a held fault without "for" and an unknown probe, all at once', () => {
    const text = processExperiment(
      '    - pause: { target: dbb }\n      for: 1s\n    - latency: { target: db, delay: 5 }\n      for: 2s\n    - pause: { target: db }',
      '  objectives:\n    - recovery: { probe: helth, within: 5s }',
    );
    expect(lines(text)).toEqual([
      '17:24 spec.faults[0].pause.target: unknown target "dbb", did you mean "db"? (spec.targets has: db)',
      expect.stringMatching(/^19:37 spec\.faults\[1\]\.latency\.delay: .*bare number 5/),
      '21:7 spec.faults[2]: a "pause" fault is held and then reverted, so it needs "for", e.g. for: 10s',
      '23:26 spec.objectives[0].recovery.probe: unknown probe "helth", did you mean "health"? (spec.probes has: health)',
    ]);
  });

  it('a reference to an entry that itself failed the schema is not called unknown', () => {
    const text = processExperiment('    - pause: { target: db }\n      for: 1s', '  objectives:\n    - recovery: { probe: health, within: 5s }').replace(
      'health: { http: { url: "http://127.0.0.1:8080/health" }, every: 100ms }',
      'health: { http: { url: "http://127.0.0.1:8080/health" }, every: 100 }',
    );
    expect(lines(text)).toEqual([expect.stringMatching(/^14:\d+ spec\.probes\.health\.every: .*bare number 100/)]);
  });

  it('positions and default names are those of the file when an earlier fault failed', () => {
    const text = processExperiment('    - pause: { target: db, extra: 1 }\n      for: 1s\n    - pause: { target: db }\n      for: 1s\n    - kill: { target: nope }', '  objectives:\n    - recovery: { probe: health, within: 5s, after: pause-2 }');
    expect(lines(text)).toEqual([
      expect.stringMatching(/^17:\d+ spec\.faults\[0\]\.pause\.extra: unknown key "extra"/),
      '21:23 spec.faults[2].kill.target: unknown target "nope" (spec.targets has: db)',
    ]);
  });
});
