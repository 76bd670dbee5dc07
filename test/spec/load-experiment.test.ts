import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, formatDiagnostic } from '../../src/domain/errors.js';
import { MAX_DIAGNOSTICS, loadExperiment, parseExperiment } from '../../src/spec/load-experiment.js';
import { diagnosticsOf, onlyDiagnostic, processExperiment } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

async function rejection(promise: Promise<unknown>): Promise<InvalidInputError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidInputError);
  return err as InvalidInputError;
}

describe('valid experiment files', () => {
  it('loads the YAML example with durations, percentages and defaults resolved', async () => {
    const loaded = await loadExperiment(join(fixtures, 'kill-primary.yaml'));
    expect(loaded.file).toBe(join(fixtures, 'kill-primary.yaml'));
    expect(loaded.dir).toBe(fixtures);
    expect(loaded.source).toContain('apiVersion: faultline/v1');
    const { spec, metadata } = loaded.experiment;
    expect(metadata.name).toBe('kill-primary');
    expect(spec.driver).toBe('process');
    expect(spec.seed).toBe(7);
    expect(spec.services?.primary).toMatchObject({ cwd: fixtures, ready: { tcp: '127.0.0.1:7001', timeout: 10_000 } });
    expect(spec.services?.replica).toMatchObject({ cwd: join(fixtures, 'services/replica') });
    expect(spec.targets['any-node']).toEqual({ selector: { names: ['primary', 'replica'] }, pick: { count: 1 } });
    expect(spec.targets.primary?.pick).toBe('all');
    expect(spec.probes.writes).toEqual({ http: { url: 'http://127.0.0.1:7001/put?k=x&v=1', method: 'GET', expect: { status: 200 }, connection: 'fresh' }, every: 100, timeout: 500 });
    expect(spec.faults).toEqual([
      { kill: { target: 'any-node', signal: 'SIGKILL' }, at: 2000 },
      { partition: { from: 'replica', to: 'primary', direction: 'both' }, at: 5000, for: 10_000 },
      { latency: { target: 'primary', delay: 200, jitter: 20, direction: 'from' }, at: 0, for: 10_000 },
    ]);
    expect(spec.objectives).toEqual([
      { recovery: { probe: 'writes', within: 10_000, consecutive: 3 } },
      { availability: { probe: 'writes', atLeast: 95 } },
      { latency: { probe: 'writes', p99: 300 } },
    ]);
    expect(spec.abort).toEqual([{ probe: 'writes', failingFor: 60_000 }]);
  });

  it('loads the same experiment written as JSON', async () => {
    const yaml = await loadExperiment(join(fixtures, 'kill-primary.yaml'));
    const json = await loadExperiment(join(fixtures, 'kill-primary.json'));
    expect(json.experiment).toEqual(yaml.experiment);
  });

  it('accepts a "$schema" editor hint', () => {
    const text = JSON.stringify({ $schema: '../node_modules/faultline/schema/experiment.schema.json', apiVersion: 'faultline/v1', kind: 'Experiment', metadata: { name: 'x' }, spec: { driver: 'docker', targets: { web: { selector: { name: 'web' } } }, faults: [{ kill: { target: 'web' } }] } });
    expect(parseExperiment(text, 'x.json').experiment.metadata.name).toBe('x');
  });

  it('treats text that starts with "{" as JSON whatever the file is called', () => {
    const text = JSON.stringify({ apiVersion: 'faultline/v1', kind: 'Experiment', metadata: { name: 'x' }, spec: { driver: 'docker', targets: { web: { selector: { name: 'web' } } }, faults: [{ kill: { target: 'web' } }] } });
    expect(parseExperiment(text, 'from-stdin').experiment.spec.faults[0]).toEqual({ kill: { target: 'web', signal: 'SIGKILL' }, at: 0 });
  });

  it('reads a .yaml file written as one flow mapping as YAML, not JSON', () => {
    const text = '{ apiVersion: faultline/v1, kind: Experiment, metadata: { name: flow }, spec: { driver: docker, targets: { web: { selector: { name: web } } }, faults: [ { kill: { target: web } } ] } }\n';
    expect(parseExperiment(text, 'flow.yaml').experiment.metadata.name).toBe('flow');
  });

  it('resolves relative paths against the file directory, not the process cwd', () => {
    const loaded = parseExperiment(processExperiment('    - kill: { target: db }'), '/srv/chaos/exp.yaml');
    expect(loaded.dir).toBe('/srv/chaos');
    expect(loaded.experiment.spec.services?.api).toMatchObject({ cwd: '/srv/chaos' });
    expect(loaded.experiment.spec.services?.db).toMatchObject({ cwd: '/srv/db' });
  });

  it('accepts YAML merge keys for shared defaults', () => {
    const text = processExperiment('    - &slow { latency: { target: db, delay: 100ms }, for: 5s }\n    - { <<: *slow, at: 10s }');
    expect(parseExperiment(text, 'x.yaml').experiment.spec.faults[1]).toMatchObject({ latency: { delay: 100 }, at: 10_000, for: 5000 });
  });
});

describe('files that cannot be read', () => {
  it('says a missing file is not found, without a stack', async () => {
    const err = await rejection(loadExperiment('experiments/nope.yaml'));
    expect(err.message).toBe('file not found: experiments/nope.yaml');
    expect(err.diagnostics).toEqual([{ path: '', message: 'file not found: experiments/nope.yaml' }]);
    expect(err.stack).not.toMatch(/\n\s+at /);
    expect(err.exitCode).toBe(2);
  });

  it('says a directory is a directory', async () => {
    const err = await rejection(loadExperiment(fixtures));
    expect(err.message).toBe(`${fixtures} is a directory, not an experiment file (pass the .yaml or .json file itself)`);
  });

  it('says an empty file is empty', () => {
    expect(onlyDiagnostic('# nothing yet\n')).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('the file is empty') });
  });
});

describe('YAML and JSON syntax errors', () => {
  it('reports an unclosed flow mapping at file:line:col', () => {
    const d = onlyDiagnostic(processExperiment('    - kill: { target: db\n      at: 1s'));
    expect(d).toEqual({ file: 'experiments/test.yaml', line: 18, column: 7, path: '', message: 'invalid YAML: flow map in block collection must be sufficiently indented and end with a }' });
    expect(formatDiagnostic(d)).toBe('experiments/test.yaml:18:7: invalid YAML: flow map in block collection must be sufficiently indented and end with a }');
  });

  it('rejects duplicate keys, naming the key', () => {
    const d = onlyDiagnostic(processExperiment('    - kill: { target: db }\n      at: 1s\n      at: 2s'));
    expect(d).toMatchObject({ line: 19, column: 7, message: 'duplicate key "at": a key may appear only once in a mapping' });
  });

  it('rejects duplicate keys in JSON too', () => {
    const d = onlyDiagnostic('{\n  "apiVersion": "faultline/v1",\n  "apiVersion": "faultline/v1"\n}\n', 'exp.json');
    expect(d).toMatchObject({ file: 'exp.json', line: 3, column: 3, message: 'duplicate key "apiVersion": a key may appear only once in a mapping' });
  });

  it('explains a tab used for indentation, and only that', () => {
    const d = onlyDiagnostic(processExperiment('\t- kill: { target: db }'));
    expect(d).toMatchObject({ line: 17, column: 1, message: 'a tab is used for indentation: YAML indents with spaces only' });
  });

  it('rejects a second YAML document', () => {
    expect(onlyDiagnostic(`${processExperiment('    - kill: { target: db }')}---\nkind: Experiment\n`)).toMatchObject({ line: 18, message: expect.stringContaining('more than one YAML document') });
  });

  it('reports an unknown alias at its position', () => {
    expect(onlyDiagnostic(processExperiment('    - *missing'))).toMatchObject({ line: 17, column: 7, message: 'unknown alias "*missing": no anchor "&missing" is defined before it' });
  });

  it('reports a JSON syntax error at line:col with the JSON parser\'s words', () => {
    const text = '{\n  "apiVersion": "faultline/v1"\n  "kind": "Experiment"\n}\n';
    expect(onlyDiagnostic(text, 'exp.json')).toEqual({ file: 'exp.json', line: 3, column: 3, path: '', message: "invalid JSON: Expected ',' or '}' after property value" });
  });

  it('locates schema problems in JSON files by line and column', () => {
    const text = [
      '{',
      '  "apiVersion": "faultline/v1",',
      '  "kind": "Experiment",',
      '  "metadata": { "name": "j" },',
      '  "spec": {',
      '    "driver": "docker",',
      '    "targets": { "web": { "selector": { "name": "web" } } },',
      '    "faults": [ { "pause": { "target": "web" }, "for": "10 sec" } ]',
      '  }',
      '}',
    ].join('\n');
    expect(onlyDiagnostic(text, 'exp.json')).toMatchObject({ line: 8, column: 56, path: 'spec.faults[0].for', message: expect.stringContaining('"10 sec" is not a duration') });
  });
});

describe('schema problems', () => {
  it('points at an unknown key itself and suggests the closest allowed key', () => {
    expect(onlyDiagnostic(processExperiment('    - kill: { target: db }', '  obsreve: { steadyState: 1s }'))).toEqual({
      file: 'experiments/test.yaml', line: 18, column: 3, path: 'spec.obsreve', message: 'unknown key "obsreve", did you mean "observe"?',
    });
  });

  it('suggests keys inside a keyed entry, from the kind it names', () => {
    const text = processExperiment('    - kill: { target: db }').replace('every: 100ms }', 'evry: 100ms }');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 14, column: 62, path: 'spec.probes.health.evry', message: 'unknown key "evry", did you mean "every"?' });
  });

  it('explains a service by the form it evidently is: a misspelt key of a started one gets its suggestion, an external one its own error', () => {
    const misspelt = diagnosticsOf(processExperiment('    - kill: { target: db }').replace('api: { command: [node, api.js] }', 'api: { comand: [node, api.js] }'));
    expect(misspelt.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual(['7:10 missing required key "command"', '7:12 unknown key "comand", did you mean "command"?']);
    const external = onlyDiagnostic(processExperiment('    - kill: { target: db }').replace('api: { command: [node, api.js] }', 'api: { external: yes }'));
    expect(external).toMatchObject({ line: 7, path: 'spec.services.api.external', message: 'expected true, found "yes"' });
    expect(onlyDiagnostic(processExperiment('    - kill: { target: db }').replace('api: { command: [node, api.js] }', 'api: 5')).message).toMatch(/^expected a service object: \{command: \[\.\.\.\]\} for one faultline starts, or \{external: true\}/);
  });

  it('lists the allowed keys when nothing is close', () => {
    expect(onlyDiagnostic(processExperiment('    - latency: { target: db, delay: 1s, zzz: 1 }\n      for: 1s'))).toMatchObject({
      line: 17, column: 41, path: 'spec.faults[0].latency.zzz', message: 'unknown key "zzz" (allowed here: target, delay, jitter, direction, peers)',
    });
  });

  it('suggests a fault kind for a misspelt one, at the kind', () => {
    const d = onlyDiagnostic(processExperiment('    - kil: { target: db }'));
    expect(d).toMatchObject({ line: 17, column: 7, path: 'spec.faults[0].kil' });
    expect(d.message).toMatch(/^unknown fault kind "kil", did you mean "kill"\? \(known: kill, pause, restart,/);
  });

  it('reports the errors inside a fault of a known kind, not the union noise', () => {
    expect(onlyDiagnostic(processExperiment('    - latency: { target: db }\n      for: 10s'))).toMatchObject({ line: 17, column: 16, path: 'spec.faults[0].latency', message: 'missing required key "delay"' });
  });

  it('asks for the settings of a fault written as a bare kind', () => {
    expect(onlyDiagnostic(processExperiment('    - kill'))).toMatchObject({ line: 17, column: 7, path: 'spec.faults[0]', message: '"kill" needs its settings as a mapping, e.g. "kill: { ... }"' });
  });

  it('requires at least one fault', () => {
    expect(onlyDiagnostic(processExperiment('    []'))).toMatchObject({ line: 17, column: 5, path: 'spec.faults', message: 'an experiment needs at least one fault (found an empty list)' });
  });

  it('points at an invalid name where it is defined', () => {
    const text = processExperiment('    - kill: { target: db }').replace('    db: { selector: { names: [db] } }', '    db: { selector: { names: [db] } }\n    "my target": { selector: { names: [db] } }');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 13, column: 5, path: 'spec.targets["my target"]', message: expect.stringMatching(/^invalid name "my target": a name uses letters/) });
  });

  it('rejects a fault that names two kinds', () => {
    expect(onlyDiagnostic(processExperiment('    - kill: { target: db }\n      pause: { target: db }'))).toMatchObject({ line: 17, column: 7, path: 'spec.faults[0]', message: 'a fault has exactly one kind, but this one names "kill" and "pause"' });
  });

  it('rejects a negative duration', () => {
    expect(onlyDiagnostic(processExperiment('    - pause: { target: db }\n      for: -5s'))).toMatchObject({ line: 18, column: 12, path: 'spec.faults[0].for', message: 'a duration cannot be negative (found "-5s")' });
    expect(onlyDiagnostic(processExperiment('    - pause: { target: db }\n      for: -5'))).toMatchObject({ line: 18, column: 12, message: 'a duration cannot be negative (found -5)' });
  });

  it('rejects a duration with a spelled-out unit', () => {
    expect(onlyDiagnostic(processExperiment('    - latency: { target: db, delay: 10 sec }\n      for: 1s'))).toMatchObject({
      line: 17, column: 37, path: 'spec.faults[0].latency.delay', message: '"10 sec" is not a duration: use a number and a unit (ms, s, m, h, d), e.g. "250ms", "30s", "2m"',
    });
  });

  it('rejects a bare number as a duration and shows how to write it', () => {
    expect(onlyDiagnostic(processExperiment('    - pause: { target: db }\n      for: 10'))).toMatchObject({
      line: 18, column: 12, path: 'spec.faults[0].for', message: 'expected a duration with a unit, e.g. "10ms" or "10s" (found the bare number 10)',
    });
  });

  it('says what an enum allows and suggests the closest value', () => {
    const text = processExperiment('    - kill: { target: db, signal: SIGKIL }');
    expect(onlyDiagnostic(text).message).toMatch(/^expected one of "SIGKILL", .* found "SIGKIL"; did you mean "SIGKILL"\?$/);
  });

  it('explains the choices of a plain union', () => {
    const text = processExperiment('    - kill: { target: db }').replace('{ selector: { names: [db] } }', '{ selector: { names: [db] }, pick: some }');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 12, column: 44, path: 'spec.targets.db.pick', message: 'expected "all", an object with "count" or an object with "percent", found "some"' });
  });

  it('follows a plain union into the branch the object resembles', () => {
    const text = processExperiment('    - kill: { target: db }', '  abort: [ { probe: health } ]');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 18, column: 12, path: 'spec.abort[0]', message: 'missing required key "failingFor"' });
  });

  it('checks apiVersion and kind', () => {
    const text = processExperiment('    - kill: { target: db }').replace('faultline/v1', 'faultline/v2');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 1, column: 13, path: 'apiVersion', message: 'expected apiVersion "faultline/v1" (found "faultline/v2")' });
  });

  it('reports a missing top-level section at the document start', () => {
    expect(onlyDiagnostic('apiVersion: faultline/v1\nkind: Experiment\nmetadata: { name: x }\n')).toMatchObject({ line: 1, column: 1, path: '', message: 'missing required key "spec"' });
  });

  it('reports several problems at once, in file order', () => {
    const all = diagnosticsOf(processExperiment('    - latency: { target: db, delay: 10 sec }\n      for: 10\n    - kil: { target: db }', '  obsreve: {}'));
    expect(all.map((d) => [d.line, d.column, d.path])).toEqual([
      [17, 37, 'spec.faults[0].latency.delay'],
      [18, 12, 'spec.faults[0].for'],
      [19, 7, 'spec.faults[1].kil'],
      [20, 3, 'spec.obsreve'],
    ]);
  });

  it('formats every diagnostic into the error message, one per line', () => {
    let error: InvalidInputError | undefined;
    try {
      parseExperiment(processExperiment('    - pause: { target: db }\n      for: 10\n    - kil: {}'), 'e.yaml');
    } catch (e) {
      error = e as InvalidInputError;
    }
    expect(error?.message.split('\n')).toEqual(error?.diagnostics.map(formatDiagnostic));
    expect(error?.message.split('\n')[0]).toBe('e.yaml:18:12: spec.faults[0].for: expected a duration with a unit, e.g. "10ms" or "10s" (found the bare number 10)');
  });

  it(`caps the list at ${MAX_DIAGNOSTICS} and says how many more there are`, () => {
    const faults = Array.from({ length: 30 }, () => '    - pause: { target: db }\n      for: 1').join('\n');
    const all = diagnosticsOf(processExperiment(faults));
    expect(all).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(all.at(-1)).toEqual({ file: 'experiments/test.yaml', path: '', message: '... and 10 more problems' });
  });
});

describe('loading from disk', () => {
  it('reports problems with the path as given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-spec-'));
    const file = join(dir, 'bad.yml');
    writeFileSync(file, processExperiment('    - pause: { target: db }'));
    const err = await rejection(loadExperiment(file));
    expect(err.message).toBe(`${file}:17:7: spec.faults[0]: a "pause" fault is held and then reverted, so it needs "for", e.g. for: 10s`);
    expect(resolve(file)).toBe(file);
  });
});

describe('JSON duplicate keys', () => {
  const base = (spec: string) => `{"apiVersion": "faultline/v1", "kind": "Experiment", "metadata": {"name": "j"},\n "spec": ${spec}}`;

  it('finds a repeated key even when written with escapes', () => {
    const d = onlyDiagnostic(base('{"driver": "docker", "dri\\u0076er": "docker"}'), 'e.json');
    expect(d).toMatchObject({ line: 2, column: 31, message: expect.stringContaining('duplicate key') });
  });

  it('does not mistake equal keys in different objects, or strings with colons, for duplicates', () => {
    const text = base('{"driver": "docker", "targets": {"a": {"selector": {"name": "a:b"}}, "b": {"selector": {"name": "a"}}}, "faults": [{"kill": {"target": "a"}}, {"kill": {"target": "b"}}]}');
    expect(parseExperiment(text, 'e.json').experiment.spec.faults).toHaveLength(2);
  });
});
