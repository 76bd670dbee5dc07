import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf } from '../../../src/engine/outcome.js';
import { evaluate } from '../../../src/slo/index.js';
import { Objective } from '../../../src/domain/experiment.js';

describe('an objective that could not be judged', () => {
  it('deviates the run and exits 1, like a missed objective, never 0', () => {
    const verdicts = evaluate({ objectives: [Objective.parse({ durability: { workload: 'orders' } })], samples: [], faults: [], window: { start: 0, end: 1 } });
    expect(verdicts[0]).toMatchObject({ status: 'unknown', met: false });
    // The engine sets deviated exactly like this (run-experiment.ts).
    const deviated = verdicts.some((v) => !v.met);
    expect(exitCodeOf({ status: 'completed', unclean: false, deviated, verdicts })).toBe(EXIT.objectiveMissed);
  });
});

describe('a run that declared no objectives', () => {
  it('judged nothing: exit 1, never 0, even though nothing failed', () => {
    expect(exitCodeOf({ status: 'completed', unclean: false, deviated: false, verdicts: [] })).toBe(EXIT.objectiveMissed);
  });
});
