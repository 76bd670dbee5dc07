// Bad workload input is rejected before anything runs, at the line and column where it is written.
import { describe, expect, it } from 'vitest';
import { compileTemplate, parseOpsRate, templateVariables } from '../../src/domain/workload.js';
import { checkWorkloads } from '../../src/spec/check-workloads.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { onlyDiagnostic, processExperiment } from './helpers.js';

/** `workloads:` is line 18; the workload `orders` is line 19 and its fields follow from line 20. */
function withWorkload(body: string): string {
  return processExperiment('    - kill: { target: db }', `  workloads:\n    orders:\n${body}`);
}

const line = (d: { line?: number; column?: number; path: string; message: string }) => `${d.line}:${d.column} ${d.path}: ${d.message}`;

describe('spec.workloads', () => {
  it('loads a workload with its defaults', () => {
    const { experiment } = parseExperiment(withWorkload('      rate: 200/s\n      write: { http: { url: "http://127.0.0.1:7001/kv/{{key}}", body: "{{value}}" } }\n      read: { http: { url: "http://127.0.0.1:7001/kv/{{ key }}" } }'), 'x.yaml');
    expect(experiment.spec.workloads.orders).toMatchObject({
      rate: 200,
      maxInFlight: 64,
      write: { http: { method: 'PUT', expect: {} }, timeout: 1000 },
      read: { http: { method: 'GET' }, timeout: 1000, value: { body: true } },
      finalRead: { within: 30_000, concurrency: 16 },
    });
  });

  it('rejects a template naming an unknown variable, with a suggestion', () => {
    expect(line(onlyDiagnostic(withWorkload('      rate: 200/s\n      write: { http: { url: "http://127.0.0.1:7001/kv/{{kee}}" } }')))).toBe(
      '21:29 spec.workloads.orders.write.http.url: unknown template variable "{{kee}}", did you mean "{{key}}"? (known: {{key}}, {{value}}, {{seq}}) (found "http://127.0.0.1:7001/kv/{{kee}}")',
    );
  });

  it('rejects {{value}} in a read, which must look the key up rather than send the value', () => {
    const d = onlyDiagnostic(withWorkload('      rate: 200/s\n      write: { exec: { command: [put, "{{key}}", "{{value}}"] } }\n      read: { exec: { command: [get, "{{key}}", "{{value}}"] } }'));
    expect(d).toMatchObject({ line: 22, path: 'spec.workloads.orders.read.exec.command[2]', message: expect.stringContaining('{{value}} cannot be used in a read') });
  });

  it('rejects a rate of zero', () => {
    expect(line(onlyDiagnostic(withWorkload('      rate: 0/s\n      write: { redis: { url: "redis://127.0.0.1:6379" } }')))).toBe(
      '20:13 spec.workloads.orders.rate: a workload rate must be above 0 (found "0/s"): to run no operations, remove the workload',
    );
  });

  it('rejects a rate without a unit of time', () => {
    expect(onlyDiagnostic(withWorkload('      rate: 200\n      write: { redis: { url: "redis://127.0.0.1:6379" } }')).message).toMatch(/expected a rate such as "200\/s"/);
  });

  it('rejects redis and postgres URLs that do not parse or name another scheme', () => {
    expect(line(onlyDiagnostic(withWorkload('      rate: 10/s\n      write: { redis: { url: "127.0.0.1:6379" } }')))).toBe(
      '21:30 spec.workloads.orders.write.redis.url: "127.0.0.1:6379" is not a URL: expected e.g. "redis://127.0.0.1:6379"',
    );
    expect(onlyDiagnostic(withWorkload('      rate: 10/s\n      write: { redis: { url: "http://127.0.0.1:6379" } }')).message).toMatch(/^expected a redis:\/\/ or rediss:\/\/ URL, e.g. "redis:\/\/127.0.0.1:6379" \(found http:\/\/\)/);
    expect(line(onlyDiagnostic(withWorkload('      rate: 10/s\n      write: { postgres: { url: "postgres//db" } }')))).toBe(
      '21:33 spec.workloads.orders.write.postgres.url: "postgres//db" is not a URL: expected e.g. "postgres://user:password@127.0.0.1:5432/db"',
    );
    expect(onlyDiagnostic(withWorkload('      rate: 10/s\n      write: { postgres: { url: "postgres://h/db", table: "drop table x" } }')).message).toMatch(/a table name uses letters/);
  });

  it('rejects an unknown client kind, with a suggestion', () => {
    expect(onlyDiagnostic(withWorkload('      rate: 10/s\n      write: { htp: { url: "http://h/{{key}}" } }')).message).toMatch(/unknown client kind "htp", did you mean "http"\?/);
  });
});

describe('objectives that name workloads', () => {
  const base = parseExperiment(withWorkload('      rate: 10/s\n      write: { redis: { url: "redis://127.0.0.1:6379" } }'), 'x.yaml').experiment;
  // The objective kinds that name workloads are declared with the checkers; these checks read any objective's `workload`.
  const withObjectives = (objectives: unknown[]) => ({ ...base.spec, objectives: objectives as typeof base.spec.objectives });

  it('rejects an objective naming an unknown workload, with a suggestion', () => {
    expect(checkWorkloads(withObjectives([{ errorRate: { workload: 'order', atMost: 1 } }]))).toEqual([
      { path: ['spec', 'objectives', 0, 'errorRate', 'workload'], message: 'unknown workload "order", did you mean "orders"? (spec.workloads has: orders)' },
    ]);
  });

  it('rejects durability on a workload without read', () => {
    expect(checkWorkloads(withObjectives([{ durability: { workload: 'orders', lostAtMost: 0 } }]))).toEqual([
      { path: ['spec', 'objectives', 0, 'durability', 'workload'], message: 'workload "orders" has no "read", so its writes cannot be read back: add spec.workloads.orders.read to judge durability' },
    ]);
  });

  it('accepts objectives on probes and on workloads that exist', () => {
    expect(checkWorkloads(withObjectives([{ recovery: { probe: 'health', within: 1000 } }, { errorRate: { workload: 'orders', atMost: 1 } }]))).toEqual([]);
  });
});

describe('templates and rates', () => {
  it('renders every variable, with or without spaces inside the braces', () => {
    expect(compileTemplate('/kv/{{key}}?v={{ value }}&n={{seq}}')({ key: 'k', value: 'v', seq: '7' })).toBe('/kv/k?v=v&n=7');
    expect(compileTemplate('plain')({ key: 'k', value: 'v', seq: '7' })).toBe('plain');
    expect(templateVariables('{{a}}{{ b }}')).toEqual(['a', 'b']);
  });

  it('parses operations per second, minute and hour', () => {
    expect(parseOpsRate('200/s')).toBe(200);
    expect(parseOpsRate('600/m')).toBe(10);
    expect(parseOpsRate('36/h')).toBe(0.01);
    expect(parseOpsRate('0/s')).toMatchObject({ error: expect.stringContaining('above 0') });
  });
});
