import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/domain/context.js';
import { Experiment, type ExperimentInput } from '../../src/domain/experiment.js';
import { exitCodeOf } from '../../src/engine/outcome.js';
import { runExperiment } from '../../src/engine/run-experiment.js';
import { runHostCommand } from '../../src/drivers/host-command.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { FakeDriver } from './fake-driver.js';
import { renderMarkdown } from '../../src/report/index.js';

function experiment(spec: Partial<ExperimentInput['spec']>): Experiment {
  return Experiment.parse({
    apiVersion: 'faultline/v1',
    kind: 'Experiment',
    metadata: { name: 'unit' },
    spec: {
      driver: 'docker',
      seed: 3,
      targets: { a: { selector: { names: ['a1', 'a2'] } }, b: { selector: { names: ['b1'] } } },
      probes: { health: { 'docker-health': { container: 'a1' }, every: '20ms', timeout: '100ms' } },
      steadyState: ['health'],
      observe: { steadyState: '60ms', recoveryWindow: '600ms' },
      faults: [{ pause: { target: 'a' }, at: '50ms', for: '150ms' }],
      ...spec,
    },
  });
}

async function run(driver: FakeDriver, exp: Experiment, interrupt?: AbortSignal) {
  return runExperiment({ experiment: exp, baseDir: '.', driver, clock: systemClock, log: silentLogger, runCommand: runHostCommand, faultlineVersion: 'test', ...(interrupt ? { interrupt } : {}) });
}

describe('run lifecycle (fake driver)', () => {
  it('injects on every victim, reverts each, and measures recovery from the revert', async () => {
    const d = new FakeDriver();
    const j = await run(d, experiment({ objectives: [{ recovery: { probe: 'health', within: '200ms' } }] }));
    expect(j.status).toBe('completed');
    expect(d.calls.filter((c) => /pause/.test(c)).sort()).toEqual(['pause a1', 'pause a2', 'unpause a1', 'unpause a2']);
    expect(j.faults[0]!.revertedAt! - j.faults[0]!.injectedAt!).toBeGreaterThanOrEqual(145);
    expect(j.verdicts[0]!.met).toBe(true);
    expect(d.closed).toBe(true);
    expect(exitCodeOf(j)).toBe(0);
  });

  it('steady state not met: aborted, nothing injected, exit 3', async () => {
    const d = new FakeDriver();
    d.healthy = false;
    const j = await run(d, experiment({}));
    expect(j.status).toBe('aborted');
    expect(j.reason).toMatch(/steady state was not met/);
    expect(d.calls.some((c) => c.startsWith('pause'))).toBe(false);
    expect(exitCodeOf(j)).toBe(3);
  });

  it('an aborted run still lists every declared objective, as not judged with the reason', async () => {
    const d = new FakeDriver();
    d.healthy = false;
    const j = await run(d, experiment({ objectives: [{ recovery: { probe: 'health', within: '200ms' } }, { availability: { probe: 'health', atLeast: '90%' } }] }));
    expect(j.status).toBe('aborted');
    expect(j.verdicts.map((v) => [v.objective, v.status, v.measured])).toEqual([
      ['health recovers within 200ms', 'unknown', null],
      ['health available >= 90%', 'unknown', null],
    ]);
    expect(j.verdicts[0]!.detail).toMatch(/^not judged: no fault was injected before the run was aborted \(steady state was not met/);
    expect(renderMarkdown(j)).not.toContain('No objectives');
    expect(renderMarkdown(j)).toContain('| health available >= 90% | >= 90% | — | ❔ unknown |');
    expect(exitCodeOf(j)).toBe(3);
  });

  it('a failed injection ends the run as failed and still reverts what was injected', async () => {
    const d = new FakeDriver();
    d.failInjectOn.add('pause a2');
    const j = await run(d, experiment({}));
    expect(j.status).toBe('failed');
    expect(j.reason).toMatch(/cannot pause a2/);
    expect(d.calls).toContain('unpause a1');
    expect(d.calls).not.toContain('unpause a2');
    expect(exitCodeOf(j)).toBe(3);
  });

  it('a revert that keeps failing makes the run unclean (exit 4) and names the leftover', async () => {
    const d = new FakeDriver();
    d.failRevertOn.add('unpause a2');
    const j = await run(d, experiment({}));
    expect(j.unclean).toBe(true);
    expect(d.calls.filter((c) => c === 'unpause a2')).toHaveLength(3);
    expect(j.leftovers.join('\n')).toMatch(/pause "pause-1" on a2 may still be in place \(engine unreachable\)/);
    expect(exitCodeOf(j)).toBe(4);
  });

  it('an abort condition reverts at once and ends as aborted', async () => {
    const d = new FakeDriver();
    const j = await run(d, experiment({ faults: [{ pause: { target: 'a' }, at: '20ms', for: '10s' }], abort: [{ probe: 'health', failingFor: '100ms' }] }));
    expect(j.status).toBe('aborted');
    expect(j.events.some((e) => e.type === 'abort' && /health/.test(e.reason))).toBe(true);
    expect(j.endedAt - j.startedAt).toBeLessThan(2000);
    expect(d.calls.filter((c) => c.startsWith('unpause'))).toHaveLength(2);
  });

  it('an interrupt during the hold reverts everything and ends as interrupted (130)', async () => {
    const d = new FakeDriver();
    const ac = new AbortController();
    setTimeout(() => ac.abort('SIGINT'), 150);
    const j = await run(d, experiment({ faults: [{ pause: { target: 'a' }, at: '20ms', for: '10s' }, { partition: { from: 'a', to: 'b' }, at: '40ms', for: '10s' }] }), ac.signal);
    expect(j.status).toBe('interrupted');
    expect(d.calls.filter((c) => c.startsWith('unpause'))).toHaveLength(2);
    expect(d.calls.filter((c) => c.startsWith('revert'))).toHaveLength(2);
    expect(exitCodeOf(j)).toBe(130);
  });

  it('the same seed picks the same victims', async () => {
    const pick = async (seed: number) => {
      const d = new FakeDriver();
      const exp = experiment({ seed, targets: { a: { selector: { names: ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'] }, pick: { count: 2 } } } });
      const j = await run(d, exp);
      return j.targets.map((t) => t.name);
    };
    const first = await pick(11);
    expect(first).toHaveLength(2);
    expect(await pick(11)).toEqual(first);
    const others = await Promise.all([12, 13, 14, 15].map(pick));
    expect(others.some((o) => o.join() !== first.join())).toBe(true);
  });
});
