import { describe, expect, it } from 'vitest';
import { Objective, type Experiment } from '../../src/domain/experiment.js';
import { checkWorkloads } from '../../src/spec/check-workloads.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { diagnosticsOf, processExperiment } from './helpers.js';

const withObjective = (line: string) => processExperiment('    - kill: { target: db }', `  objectives:\n    - ${line}`);
const located = (line: string) => diagnosticsOf(withObjective(line)).map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`);

describe('workload objectives in the file format', () => {
  it('a latency objective takes exactly one of probe and workload, and during only with a workload', () => {
    expect(located('latency: { probe: health, workload: orders, p99: 1s }')).toEqual(['19:43 spec.objectives[0].latency.workload: a latency objective takes "probe" or "workload", not both (found "orders")']);
    expect(located('latency: { p99: 1s }')).toEqual(['19:16 spec.objectives[0].latency: a latency objective needs "probe" or "workload"']);
    expect(located('latency: { probe: health, p99: 1s, during: fault }')).toEqual(['19:50 spec.objectives[0].latency.during: "during" is only for a workload latency objective (probe latency is measured from the first injection to the end of observation) (found "fault")']);
  });

  it('rejects a phase that does not exist', () => {
    expect(located('errorRate: { workload: orders, atMost: 1%, during: faults }')).toEqual(['19:58 spec.objectives[0].errorRate.during: expected a phase: baseline, fault, recovery or run (found "faults")']);
  });

  it('rejects an objective naming a workload that is not declared', () => {
    expect(located('durability: { workload: orders }')).toEqual(['19:31 spec.objectives[0].durability.workload: unknown workload "orders" (spec.workloads is empty)']);
    expect(located('rpo: { workload: orders, atMost: 1s }')).toEqual(['19:24 spec.objectives[0].rpo.workload: unknown workload "orders" (spec.workloads is empty)']);
  });

  it('keeps probe latency objectives valid, with no during', () => {
    const e = parseExperiment(withObjective('latency: { probe: health, p99: 1s }'), 'x.yaml').experiment;
    expect(e.spec.objectives).toEqual([{ latency: { probe: 'health', p99: 1000 } }]);
  });

  it('defaults errorRate to the whole run and lostAtMost to 0', () => {
    expect(Objective.parse({ errorRate: { workload: 'orders', atMost: '1%' } })).toEqual({ errorRate: { workload: 'orders', atMost: 1, during: 'run' } });
    expect(Objective.parse({ durability: { workload: 'orders' } })).toEqual({ durability: { workload: 'orders', lostAtMost: 0 } });
  });
});

describe('workload references (spec.workloads read as declared)', () => {
  const base = parseExperiment(withObjective('latency: { probe: health, p99: 1s }'), 'x.yaml').experiment.spec;
  const spec = (objectives: unknown[], workloads: Record<string, unknown>) => ({ ...base, objectives, workloads }) as unknown as Experiment['spec'];

  it('durability and rpo need a workload that reads its writes back', () => {
    const workloads = { orders: { rate: '10/s', write: { http: {} } }, kv: { rate: '10/s', write: { http: {} }, read: { http: {} } } };
    expect(checkWorkloads(spec([{ durability: { workload: 'orders', lostAtMost: 0 } }, { rpo: { workload: 'orders', atMost: 1000 } }, { durability: { workload: 'kv', lostAtMost: 0 } }], workloads))).toEqual([
      { path: ['spec', 'objectives', 0, 'durability', 'workload'], message: 'workload "orders" has no "read", so its writes cannot be read back: add spec.workloads.orders.read to judge durability' },
      { path: ['spec', 'objectives', 1, 'rpo', 'workload'], message: 'workload "orders" has no "read", so its writes cannot be read back: add spec.workloads.orders.read to judge RPO' },
    ]);
  });

  it('suggests the closest workload name', () => {
    expect(checkWorkloads(spec([{ errorRate: { workload: 'order', atMost: 1, during: 'run' } }], { orders: {} }))).toEqual([
      { path: ['spec', 'objectives', 0, 'errorRate', 'workload'], message: 'unknown workload "order", did you mean "orders"? (spec.workloads has: orders)' },
    ]);
  });
});
