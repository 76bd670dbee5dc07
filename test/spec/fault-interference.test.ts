// Two faults in place on one target at the same time: for every driver and every pair of kinds it
// supports (the pair generated from its registry, each kind with its catalog example), the pair is
// either refused at `validate` with the reason, or accepted because what the two change differs.
// Accepted pairs are run for real where that is quick (test/process/interfering-faults.test.ts).
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { FAULT_CATALOG, INSTANT_FAULTS, type FaultKind } from '../../src/domain/fault-kinds/catalog.js';
import { interferingFaults } from '../../src/domain/fault-interference.js';
import type { DriverName } from '../../src/domain/model.js';
import { FAULT_SUPPORT, supportedFaults } from '../../src/drivers/fault-support.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { faultNames } from '../../src/domain/fault-kinds/fault-names.js';
import type { Driver } from '../../src/drivers/driver.js';
import { bindFaults } from '../../src/drivers/fault-handler.js';
import { refuseInterference, resolveFault } from '../../src/engine/resolve-fault.js';
import { processExperiment } from './helpers.js';

const SKELETON: Record<DriverName, Record<string, unknown>> = {
  process: {
    services: { a: { command: ['node', 'a.js'] }, b: { command: ['node', 'b.js'] } },
    links: {
      'b-to-a': { from: 'b', to: 'a', listen: '127.0.0.1:15001', upstream: '127.0.0.1:5001' },
      'a-to-b': { from: 'a', to: 'b', listen: '127.0.0.1:15002', upstream: '127.0.0.1:5002' },
    },
    targets: { a: { selector: { names: ['a'] } }, b: { selector: { names: ['b'] } } },
  },
  docker: { targets: { a: { selector: { name: 'a' } }, b: { selector: { name: 'b' } } } },
  kubernetes: { targets: { a: { selector: { labels: { app: 'a' } } }, b: { selector: { labels: { app: 'b' } } } } },
};

/** The first fault is in place from 0s to 4s (or happens at 1s), the second from 1s to 2s: they overlap. */
function pairExperiment(driver: DriverName, first: FaultKind, second: FaultKind): string {
  const fault = (kind: FaultKind, at: string, hold: string, name: string) => ({
    [kind]: FAULT_CATALOG[kind].example,
    name,
    at,
    ...(INSTANT_FAULTS.includes(kind) ? {} : { for: hold }),
  });
  return JSON.stringify({
    apiVersion: 'faultline/v1',
    kind: 'Experiment',
    metadata: { name: `${first}-and-${second}` },
    spec: { driver, ...SKELETON[driver], faults: [fault(first, INSTANT_FAULTS.includes(first) ? '1s' : '0s', '4s', 'first'), fault(second, '1s', '1s', 'second')] },
  });
}

function problemsOf(text: string): string[] {
  try {
    parseExperiment(text, 'pair.json');
    return [];
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    return err.diagnostics.map((d) => `${d.path}: ${d.message}`);
  }
}

/** What plan and run say, on victims named by the driver's handlers (their internals stubbed to name a workload). */
function onSelectedVictims(driver: DriverName, text: string): string[] {
  const { experiment } = parseExperiment(text, 'pair.json');
  const internals = { workloads: { target: (w: { kind: string; name: string; namespace?: string }) => ({ driver, group: 'workload', id: `${w.kind}/${w.namespace ?? 'default'}/${w.name}`, name: `${w.kind} ${w.namespace ?? 'default'}/${w.name}`, meta: {} }) } };
  const stub = { name: driver, faults: bindFaults(driver, FAULT_SUPPORT[driver], internals) } as unknown as Driver;
  const names = faultNames(experiment.spec);
  try {
    refuseInterference(experiment.spec.faults, names, experiment.spec.faults.map((f) => resolveFault(f, stub, new Map())));
    return [];
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    return err.message.split('\n');
  }
}

const DRIVERS: DriverName[] = ['process', 'docker', 'kubernetes'];
/** Kinds whose example acts on target "a" (switch-outage acts on a network, scale on a workload). */
const onTarget = (kind: FaultKind) => JSON.stringify(FAULT_CATALOG[kind].example).includes('"a"');

describe.each(DRIVERS)('every pair of fault kinds on one target, %s driver', (driver) => {
  const kinds = supportedFaults(driver);
  const pairs = kinds.flatMap((a, i) => kinds.slice(i).map((b) => [a, b] as const)).filter(([a, b]) => !(INSTANT_FAULTS.includes(a) && INSTANT_FAULTS.includes(b)));

  it.each(pairs)('%s with %s: refused with the reason when they change the same thing, accepted otherwise', (a, b) => {
    const touchesA = FAULT_SUPPORT[driver][a]!.touches;
    const touchesB = FAULT_SUPPORT[driver][b]!.touches;
    const same = touchesA.find((x) => touchesB.some((y) => x === y || y.startsWith(`${x}/`) || x.startsWith(`${y}/`)));
    const problems = problemsOf(pairExperiment(driver, a, b));
    if (same !== undefined && (a === b || (onTarget(a) && onTarget(b)))) {
      const fromFile = FAULT_CATALOG[a].victims !== undefined;
      // A victim only the driver can name (a scaled workload) is known at plan and run, not from the file alone.
      const found = fromFile ? problems : onSelectedVictims(driver, pairExperiment(driver, a, b));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/faults "first" \(.+\) and "second" \((1s–2s|at 1s)\) would both change the .+ of (target "a"|network rack-1|Deployment default\/web) at the same time: reverting one would undo the other/);
    } else {
      expect(problems).toEqual([]);
    }
  });

  it('declares what every fault kind changes, and refuses a second pause-like fault on one target', () => {
    for (const kind of kinds) expect(Array.isArray(FAULT_SUPPORT[driver][kind]!.touches)).toBe(true);
    const held = kinds.filter((k) => !INSTANT_FAULTS.includes(k) && onTarget(k));
    // Every driver has at least one held kind on a target that cannot be doubled (the pause + pause).
    expect(held.some((k) => problemsOf(pairExperiment(driver, k, k)).length === 1)).toBe(true);
  });
});

describe('the decisions per mechanism', () => {
  const refused = (driver: DriverName, a: FaultKind, b: FaultKind) => problemsOf(pairExperiment(driver, a, b)).length === 1;

  it('process: a pause is not doubled nor killed, restarted under; link faults stack on the proxy', () => {
    expect(refused('process', 'pause', 'pause')).toBe(true);
    expect(refused('process', 'pause', 'kill')).toBe(true);
    expect(refused('process', 'pause', 'restart')).toBe(true);
    expect(refused('process', 'pause', 'latency')).toBe(false);
    expect(refused('process', 'latency', 'latency')).toBe(false);
    expect(refused('process', 'partition', 'loss')).toBe(false);
    expect(refused('process', 'kill', 'latency')).toBe(false);
  });

  it('docker: one root qdisc, one chain per kind, and a stop or kill replaces the network namespace', () => {
    expect(refused('docker', 'pause', 'stop')).toBe(true);
    expect(refused('docker', 'latency', 'bandwidth')).toBe(true);
    expect(refused('docker', 'loss', 'loss')).toBe(true);
    expect(refused('docker', 'stop', 'latency')).toBe(true);
    expect(refused('docker', 'kill', 'partition')).toBe(true);
    expect(refused('docker', 'cpu', 'cpu')).toBe(true);
    expect(refused('docker', 'pause', 'latency')).toBe(false);
    expect(refused('docker', 'loss', 'timeout')).toBe(false);
    expect(refused('docker', 'cpu', 'pause')).toBe(false);
  });

  it('kubernetes: one impairment helper per pod, partitions would allow each other, a deleted pod takes both', () => {
    expect(refused('kubernetes', 'latency', 'loss')).toBe(true);
    expect(refused('kubernetes', 'partition', 'partition')).toBe(true);
    expect(refused('kubernetes', 'pod-delete', 'latency')).toBe(true);
    expect(refused('kubernetes', 'pod-kill', 'partition')).toBe(true);
    expect(refused('kubernetes', 'container-kill', 'latency')).toBe(false);
    expect(refused('kubernetes', 'partition', 'latency')).toBe(false);
  });
});

describe('the issue: a pause held 0-4s and another held 1-2s on one service', () => {
  it('is refused at validate, pointing at the second pause and naming both', () => {
    const text = processExperiment('    - pause: { target: db }\n      for: 4s\n    - pause: { target: db }\n      at: 1s\n      for: 1s');
    expect(problemsOf(text)).toEqual([
      'spec.faults[1]: faults "pause-1" (0s–4s) and "pause-2" (1s–2s) would both change the process group of target "db" at the same time: reverting one would undo the other while the journal still recorded it as in place, so they are refused. Schedule them so they do not overlap (one\'s at after the other\'s at + for), or give them different targets',
    ]);
  });

  it('is accepted once they no longer overlap, and back to back is refused (the second would race the first revert)', () => {
    expect(problemsOf(processExperiment('    - pause: { target: db }\n      for: 1s\n    - pause: { target: db }\n      at: 1100ms\n      for: 1s'))).toEqual([]);
    expect(problemsOf(processExperiment('    - pause: { target: db }\n      for: 1s\n    - pause: { target: db }\n      at: 1s\n      for: 1s'))).toHaveLength(1);
  });
});

describe('interferingFaults (the rule, on selected victims)', () => {
  const v = (id: string) => ({ id, name: id });
  it('needs a shared victim, an overlap in time and a shared mechanism, and leaves two instant faults alone', () => {
    const pause = { name: 'p', at: 0, for: 4000, touches: ['state'], victims: [v('x')] };
    expect(interferingFaults([pause, { name: 'q', at: 1000, for: 1000, touches: ['state'], victims: [v('y'), v('x')] }])).toHaveLength(1);
    expect(interferingFaults([pause, { name: 'q', at: 1000, for: 1000, touches: ['state'], victims: [v('y')] }])).toEqual([]);
    expect(interferingFaults([pause, { name: 'q', at: 4001, for: 1000, touches: ['state'], victims: [v('x')] }])).toEqual([]);
    expect(interferingFaults([pause, { name: 'q', at: 1000, for: 1000, touches: ['netns/qdisc'], victims: [v('x')] }])).toEqual([]);
    expect(interferingFaults([{ ...pause, touches: ['netns'] }, { name: 'q', at: 1000, for: 1000, touches: ['netns/qdisc'], victims: [v('x')] }])[0]!.message).toContain('change the netns of x');
    expect(interferingFaults([{ ...pause, for: undefined }, { name: 'q', at: 0, touches: ['state'], victims: [v('x')] }])).toEqual([]);
  });
});
