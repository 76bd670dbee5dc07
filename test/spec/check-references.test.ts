import { describe, expect, it } from 'vitest';
import { Experiment } from '../../src/domain/experiment.js';
import { faultKind, faultNames } from '../../src/domain/fault-kinds/fault-names.js';
import { checkReferences } from '../../src/spec/check-references.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { diagnosticsOf, onlyDiagnostic, processExperiment } from './helpers.js';

const PROCESS_FAULTS = 'kill, pause, restart, latency, bandwidth, loss, timeout, partition, command';

function dockerExperiment(spec: string): string {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: d }
spec:
  driver: docker
  targets:
    web: { selector: { labels: { app: web } } }
${spec}
`;
}

describe('references to targets, services, probes and faults', () => {
  it('rejects a fault naming an unknown target, with a suggestion', () => {
    expect(onlyDiagnostic(processExperiment('    - pause: { target: dbb }\n      for: 1s'))).toEqual({
      file: 'experiments/test.yaml', line: 17, column: 24, path: 'spec.faults[0].pause.target', message: 'unknown target "dbb", did you mean "db"? (spec.targets has: db)',
    });
  });

  it('rejects a process selector naming an unknown service', () => {
    const text = processExperiment('    - kill: { target: db }').replace('names: [db]', 'names: [db, apii]');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 12, column: 35, path: 'spec.targets.db.selector.names[1]', message: 'unknown service "apii", did you mean "api"? (spec.services has: api, db)' });
  });

  it('rejects probe references that do not exist, wherever they are', () => {
    const text = processExperiment('    - kill: { target: db }', '  objectives:\n    - recovery: { probe: helth, within: 5s }\n  abort: [ { probe: heath, failingFor: 5s } ]').replace('steadyState: [health]', 'steadyState: [health, halth]');
    expect(diagnosticsOf(text).map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`)).toEqual([
      '15:25 spec.steadyState[1]: unknown probe "halth", did you mean "health"? (spec.probes has: health)',
      '19:26 spec.objectives[0].recovery.probe: unknown probe "helth", did you mean "health"? (spec.probes has: health)',
      '20:21 spec.abort[0].probe: unknown probe "heath", did you mean "health"? (spec.probes has: health)',
    ]);
  });

  it('rejects recovery.after naming an unknown fault, suggesting the default names', () => {
    const text = processExperiment('    - { kill: { target: db }, at: 2s }\n    - pause: { target: db }\n      for: 1s', '  objectives:\n    - recovery: { probe: health, within: 5s, after: pause-1 }');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 21, column: 53, path: 'spec.objectives[0].recovery.after', message: 'unknown fault "pause-1", did you mean "pause-2"? (spec.faults has: kill-1, pause-2)' });
  });

  it('accepts recovery.after naming a fault by its own name', () => {
    const text = processExperiment('    - kill: { target: db }\n      name: boom', '  objectives:\n    - recovery: { probe: health, within: 5s, after: boom }');
    expect(parseExperiment(text, 'x.yaml').experiment.spec.objectives).toHaveLength(1);
  });

  it('checks link ends and refuses two links on one listen address', () => {
    const text = processExperiment('    - kill: { target: db }').replace(
      '    api-to-db: { from: api, to: db, listen: 127.0.0.1:15432, upstream: 127.0.0.1:5432 }',
      '    api-to-db: { from: ap, to: db, listen: 127.0.0.1:15432, upstream: 127.0.0.1:5432 }\n    ext-to-db: { to: db, listen: 0.0.0.0:15432, upstream: 127.0.0.1:5432 }\n    other: { to: db, listen: 127.0.0.2:5433, upstream: 127.0.0.1:5432 }\n    more: { to: db, listen: 127.0.0.3:5433, upstream: 127.0.0.1:5432 }',
    );
    expect(diagnosticsOf(text).map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`)).toEqual([
      '10:24 spec.links.api-to-db.from: unknown service "ap", did you mean "api"? (spec.services has: api, db)',
      '11:34 spec.links.ext-to-db.listen: link "ext-to-db" listens on 0.0.0.0:15432, but link "api-to-db" already listens on 127.0.0.1:15432',
    ]);
  });

  it('accepts a partition between a target and a service on the process driver', () => {
    const text = processExperiment('    - partition: { from: api, to: db, direction: to }\n      for: 1s');
    expect(parseExperiment(text, 'x.yaml').experiment.spec.faults[0]).toMatchObject({ partition: { from: 'api', to: 'db', direction: 'to' } });
  });

  it('rejects a partition end that is neither a target nor a service', () => {
    expect(onlyDiagnostic(processExperiment('    - partition: { from: apx, to: db }\n      for: 1s'))).toMatchObject({
      line: 17, column: 26, path: 'spec.faults[0].partition.from', message: '"apx" is neither a target nor a service, did you mean "api"? (targets: db; services: api, db)',
    });
  });

  it('rejects a partition that no link crosses, which would silently do nothing', () => {
    expect(onlyDiagnostic(processExperiment('    - partition: { from: api, to: db, direction: from }\n      for: 1s'))).toMatchObject({
      line: 17, column: 18, path: 'spec.faults[0].partition', message: expect.stringContaining('this partition would change nothing'),
    });
  });

  it('rejects a network fault on a process target that no link leads to', () => {
    const text = processExperiment('    - latency: { target: api, delay: 10ms }\n      for: 1s').replace('    db: { selector: { names: [db] } }', '    db: { selector: { names: [db] } }\n    api: { selector: { names: [api] } }');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 18, column: 26, path: 'spec.faults[0].latency.target', message: expect.stringContaining('no link in spec.links has "to" among the services of target "api" (api)') });
  });

  it('only lets a docker partition name targets', () => {
    const text = dockerExperiment('  faults:\n    - partition: { from: web, to: db }\n      for: 1s');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 9, column: 35, message: 'unknown target "db" (spec.targets has: web)' });
  });
});

describe('external services (process driver)', () => {
  const external = (faults: string, db = 'db: { external: true }') => processExperiment(faults).replace('db: { command: [node, db.js], cwd: ../db }', db);

  it('accepts a link fault on an external service', () => {
    const loaded = parseExperiment(external('    - latency: { target: db, delay: 100ms }\n      for: 1s'), 'experiments/test.yaml');
    expect(loaded.experiment.spec.services?.db).toEqual({ external: true });
  });

  it.each(['kill: { target: db }', 'pause: { target: db }\n      for: 1s', 'restart: { target: db }'])('refuses a fault that acts on a process at an external service: %s', (fault) => {
    const kind = fault.split(':')[0]!;
    expect(onlyDiagnostic(external(`    - ${fault}`))).toMatchObject({
      line: 17,
      path: `spec.faults[0].${kind}.target`,
      message: `a "${kind}" fault acts on a process, but target "db" selects "db", declared external: faultline does not run it; choose a target of started services, or use a fault that acts through links (latency, bandwidth, loss, timeout, partition)`,
    });
  });

  it('refuses a service that is both external and started', () => {
    expect(onlyDiagnostic(external('    - kill: { target: db }', 'db: { external: true, command: [node, db.js] }'))).toMatchObject({
      line: 8, column: 11, path: 'spec.services.db.external', message: '"external" cannot be combined with "command": they are alternatives, use one per entry',
    });
  });
});

describe('durations of faults', () => {
  it('requires "for" on a fault that is held', () => {
    expect(onlyDiagnostic(processExperiment('    - latency: { target: db, delay: 100ms }'))).toEqual({
      file: 'experiments/test.yaml', line: 17, column: 7, path: 'spec.faults[0]', message: 'a "latency" fault is held and then reverted, so it needs "for", e.g. for: 10s',
    });
  });

  it('refuses "for" on an instant fault, pointing at "for"', () => {
    expect(onlyDiagnostic(processExperiment('    - kill: { target: db }\n      for: 1s'))).toMatchObject({
      line: 18, column: 7, path: 'spec.faults[0].for', message: '"kill" is an instant fault, so it takes no "for" (remove it; use "at" to choose when it happens)',
    });
  });
});

describe('fault names', () => {
  it('defaults to <kind>-<position>, counted from 1', () => {
    const text = processExperiment('    - { kill: { target: db }, at: 2s }\n    - pause: { target: db }\n      for: 1s\n      name: freeze\n    - { kill: { target: db }, at: 2s }');
    const { experiment } = parseExperiment(text, 'x.yaml');
    expect(faultNames(experiment.spec)).toEqual(['kill-1', 'freeze', 'kill-3']);
    expect(experiment.spec.faults.map(faultKind)).toEqual(['kill', 'pause', 'kill']);
  });

  it('rejects two faults with the same name', () => {
    const text = processExperiment('    - { kill: { target: db }, at: 2s, name: boom }\n    - pause: { target: db }\n      name: boom\n      for: 1s');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 19, column: 13, path: 'spec.faults[1].name', message: 'duplicate fault name "boom": spec.faults[0] is also called "boom"; fault names must be unique' });
  });

  it('rejects a name that collides with another fault\'s default name', () => {
    const text = processExperiment('    - kill: { target: db }\n    - kill: { target: db }\n      name: kill-1');
    expect(onlyDiagnostic(text)).toMatchObject({
      line: 19, column: 13, path: 'spec.faults[1].name', message: 'duplicate fault name "kill-1": spec.faults[0] is also called "kill-1" (a fault without "name" is called "<kind>-<position>"); fault names must be unique',
    });
  });
});

describe('what the driver supports', () => {
  it('rejects a fault kind the driver does not support', () => {
    expect(onlyDiagnostic(processExperiment('    - cpu: { target: db, cpus: 0.5 }\n      for: 1s'))).toEqual({
      file: 'experiments/test.yaml', line: 17, column: 7, path: 'spec.faults[0].cpu', message: `fault "cpu" is not supported by the process driver (supported: ${PROCESS_FAULTS})`,
    });
  });

  it('rejects a switch outage on the process driver', () => {
    expect(onlyDiagnostic(processExperiment('    - switch-outage: { network: lan }\n      for: 1s')).message).toBe(`fault "switch-outage" is not supported by the process driver (supported: ${PROCESS_FAULTS})`);
  });

  it('rejects a probe kind and selector fields the driver does not support', () => {
    const text = processExperiment('    - kill: { target: db }')
      .replace('    health: {', '    docker: { docker-health: { container: db } }\n    health: {')
      .replace('{ selector: { names: [db] } }', '{ selector: { names: [db], labels: { app: db } } }');
    expect(diagnosticsOf(text).map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`)).toEqual([
      '12:36 spec.targets.db.selector.labels: selector field "labels" is not supported by the process driver (supported: names)',
      '14:15 spec.probes.docker.docker-health: probe "docker-health" is not supported by the process driver (supported: http, tcp, exec)',
    ]);
  });

  it('says the process driver has no "where"', () => {
    const text = processExperiment('    - kill: { target: db }').replace('{ selector: { names: [db] } }', '{ selector: { names: [db] }, where: { exec: { command: [test, -f, /tmp/primary] } } }');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 12, column: 38, path: 'spec.targets.db.where', message: '"where" is not supported by the process driver: it selects services by name only, so there are no candidates to filter' });
  });

  it('accepts "where" on the docker driver', () => {
    const text = dockerExperiment('  faults:\n    - kill: { target: web }').replace('{ labels: { app: web } } }', '{ labels: { app: web } }, where: { http: { url: "http://127.0.0.1:1/" } } }');
    expect(parseExperiment(text, 'd.yaml').experiment.spec.targets.web?.where).toBeDefined();
  });

  it('keeps services and links to the process driver', () => {
    const text = dockerExperiment('  services:\n    api: { command: [node] }\n  faults:\n    - kill: { target: web }');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 8, column: 3, path: 'spec.services', message: '"services" is only for the process driver, but this experiment uses the docker driver' });
  });

  it('rejects an exec probe target on the process driver', () => {
    const text = processExperiment('    - kill: { target: db }').replace('    health: {', '    ls: { exec: { command: [ls], target: db } }\n    health: {');
    expect(onlyDiagnostic(text)).toMatchObject({ line: 14, column: 34, path: 'spec.probes.ls.exec.target', message: '"target" is not supported by the process driver: exec probes run on the host' });
  });
});

describe('checkReferences on its own', () => {
  it('finds several problems at once and returns paths, not positions', () => {
    const experiment = Experiment.parse({
      apiVersion: 'faultline/v1',
      kind: 'Experiment',
      metadata: { name: 'k' },
      spec: {
        driver: 'kubernetes',
        targets: { pods: { selector: { labels: { app: 'web' } } } },
        faults: [{ 'pod-delete': { target: 'pod' } }, { latency: { target: 'pods', delay: '1s' } }, { kill: { target: 'pods' } }],
        steadyState: ['up'],
      },
    });
    expect(checkReferences(experiment)).toEqual([
      { path: ['spec', 'faults', 0, 'pod-delete', 'target'], message: 'unknown target "pod", did you mean "pods"? (spec.targets has: pods)' },
      { path: ['spec', 'faults', 1], message: 'a "latency" fault is held and then reverted, so it needs "for", e.g. for: 10s' },
      { path: ['spec', 'faults', 2, 'kill'], atKey: true, message: 'fault "kill" is not supported by the kubernetes driver (supported: pod-delete, pod-kill, container-kill, pod-failure, scale, partition, latency, loss, bandwidth)' },
      { path: ['spec', 'steadyState', 0], message: 'unknown probe "up" (spec.probes is empty)' },
    ]);
  });
});

describe('count objectives', () => {
  const count = (body: string) => `  objectives:\n    - count: { ${body} }`;
  it('refuses an unknown target, a process driver (no "where" there) and a name taken by a probe', () => {
    expect(diagnosticsOf(dockerExperiment(`  faults:\n    - kill: { target: web }\n${count('target: wbe, where: { exec: { command: [redis-cli, role] } }, atMost: 1')}`)).map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.objectives[0].count.target: unknown target "wbe", did you mean "web"? (spec.targets has: web)',
    ]);
    expect(diagnosticsOf(processExperiment('    - kill: { target: db }', count('target: db, where: { exec: { command: [redis-cli, role] } }, atMost: 1'))).map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.objectives[0].count.where: a count objective runs its "where" against each target, which the process driver cannot do',
    ]);
    expect(diagnosticsOf(processExperiment('    - kill: { target: db }', count('name: health, target: db, where: { http: { url: "http://x/" } }, atLeast: 1')).replace('driver: process', 'driver: docker').replace(/  services:[\s\S]*?(?=  targets:)/, '')).map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.objectives[0].count.name: the count objective\'s name "health" is already a probe or another count\'s name; give it a distinct "name"',
    ]);
  });

  it('accepts a count on a docker target', () => {
    expect(() => parseExperiment(dockerExperiment(`  faults:\n    - kill: { target: web }\n${count('target: web, where: { exec: { command: [redis-cli, role], stdout: "^master" } }, atMost: 1, every: 500ms')}`), 'x.yaml')).not.toThrow();
  });
});
