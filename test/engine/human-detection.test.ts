// A human detection objective through the engine (fake driver): the run with a logbook waits for
// a Detected mark until `within` has passed, and is judged from the first mark after the first
// injection; without a logbook it does not wait and the verdict is unknown.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/domain/context.js';
import { Experiment } from '../../src/domain/experiment.js';
import { runHostCommand } from '../../src/drivers/host-command.js';
import { runExperiment, type RunRequest } from '../../src/engine/run-experiment.js';
import type { JournalRecorder } from '../../src/journal/recorder.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { FakeDriver } from './fake-driver.js';

const experiment = (within: string) =>
  Experiment.parse({
    apiVersion: 'faultline/v1',
    kind: 'Experiment',
    metadata: { name: 'human' },
    spec: {
      driver: 'docker',
      seed: 3,
      targets: { a: { selector: { names: ['a1'] } } },
      probes: { health: { 'docker-health': { container: 'a1' }, every: '20ms', timeout: '100ms' } },
      steadyState: ['health'],
      observe: { steadyState: '60ms', recoveryWindow: '200ms' },
      faults: [{ pause: { target: 'a' }, at: '50ms', for: '150ms' }],
      objectives: [{ detection: { by: 'human', within } }],
    },
  });

const run = (exp: Experiment, extra: Partial<RunRequest> = {}) =>
  runExperiment({ experiment: exp, baseDir: '.', driver: new FakeDriver(), clock: systemClock, log: silentLogger, runCommand: runHostCommand, faultlineVersion: 'test', ...extra });

describe('human detection in a run', () => {
  it('with a logbook: the first Detected mark after the injection is the time to detect, and the run need not wait longer', async () => {
    let rec: JournalRecorder | undefined;
    const j = await run(experiment('10s'), {
      logbook: true,
      onRecorder: (r) => (rec = r),
      // Someone in the room notices as soon as the fault is in.
      listen: (e) => {
        if (e.type === 'inject' && e.ok) queueMicrotask(() => rec!.record('detected', { by: 'alice', via: 'dashboard' }));
      },
    });
    expect(j.status).toBe('completed');
    expect(j.logbook).toBe(true);
    const injected = j.faults[0]!.injectedAt!;
    const mark = j.events.find((e) => e.type === 'detected')!;
    expect(j.verdicts[0]).toMatchObject({ kind: 'detection', status: 'met', measured: mark.t - injected, bound: 10_000 });
    expect(j.verdicts[0]!.detail).toMatch(/^alice noticed through a dashboard .* after the first injection \(target 10s\)$/);
    expect(j.endedAt - injected).toBeLessThan(10_000);
  });

  it('with a logbook and nobody marking it: the run waits out within, then it is missed', async () => {
    const j = await run(experiment('800ms'), { logbook: true });
    const injected = j.faults[0]!.injectedAt!;
    expect(j.endedAt - injected).toBeGreaterThanOrEqual(800);
    expect(j.verdicts[0]).toMatchObject({ status: 'missed', measured: null });
    expect(j.verdicts[0]!.detail).toBe('not detected within 800ms: nobody marked Detected in the console');
  });

  it('without a logbook: unknown, and the run does not wait for a mark nobody can make', async () => {
    const j = await run(experiment('10s'));
    expect(j.logbook).toBeUndefined();
    expect(j.endedAt - j.faults[0]!.injectedAt!).toBeLessThan(10_000);
    expect(j.verdicts[0]).toMatchObject({ status: 'unknown', measured: null });
    expect(j.verdicts[0]!.detail).toMatch(/^not judged: the run had no logbook to mark Detected in/);
  });
});
