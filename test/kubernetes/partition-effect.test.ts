// A partition whose probes never noticed it is flagged in the journal, through the real engine,
// driver and client against the simulator (which, like a plugin without NetworkPolicy support,
// stores policies and enforces nothing).
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/domain/model.js';
import { runHostCommand } from '../../src/drivers/host-command.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { runExperiment } from '../../src/engine/run-experiment.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { startSimulator, type Simulator } from '../k8s-sim/simulator.js';
import { experiment, testContext } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function runPartition(reachable: () => boolean) {
  sim = await startSimulator({ recreateDelayMs: 20, readyDelayMs: 20 });
  sim.state.execHandler = () => (reachable() ? { stdout: 'ok', exitCode: 0 } : { stderr: 'wget: download timed out', exitCode: 1 });
  sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 1 });
  sim.state.addDeployment({ namespace: 'shop', name: 'api', replicas: 1 });
  const driver = new KubernetesDriver({ kubeConfig: sim.kubeConfig({ namespace: 'shop' }) });
  const log = testContext('e2e');
  const j = await runExperiment({
    experiment: experiment({
      targets: { web: { selector: { labels: { app: 'web' } } }, api: { selector: { labels: { app: 'api' } } } },
      // Stands for "web can reach api", answered from inside the web pod.
      probes: { 'web-to-api': { exec: { target: 'web', command: ['wget', '-qO-', 'http://api/health'] }, every: '25ms', timeout: '500ms' } },
      observe: { steadyState: '80ms', recoveryWindow: '300ms' },
      faults: [{ partition: { from: 'web', to: 'api' }, for: '300ms', name: 'cut-web-from-api' }],
      objectives: [{ availability: { probe: 'web-to-api', atLeast: '0%' } }],
    }),
    baseDir: '.',
    driver,
    clock: systemClock,
    log: log.log,
    runCommand: runHostCommand,
    faultlineVersion: 'test',
    runId: 'e2e-partition-01',
  });
  return { j, lines: log.lines };
}

const warnings = (events: JournalEvent[]) => events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));

describe('partition with no visible effect (engine + kubernetes driver + simulator)', () => {
  it('a partition whose probe keeps passing gets a warning about NetworkPolicy enforcement', async () => {
    const { j, lines } = await runPartition(() => true);
    expect(j.status).toBe('completed');
    expect(j.faults[0]).toMatchObject({ kind: 'partition', injectedAt: expect.any(Number), revertedAt: expect.any(Number) });
    const during = j.samples.filter((s) => s.t >= j.faults[0]!.injectedAt! && s.t <= j.faults[0]!.revertedAt!);
    expect(during.length).toBeGreaterThan(2);
    expect(warnings(j.events)).toEqual([expect.stringMatching(/^partition "cut-web-from-api" had no visible effect: every sample of web-to-api passed while it held and after, and no target.s "where" answer changed; the cluster's network plugin may not enforce NetworkPolicy/)]);
    expect(lines.some((l) => l.startsWith('warn: partition "cut-web-from-api" had no visible effect'))).toBe(true);
    // Shown beside the verdicts, not only in the events list.
    expect(j.notices).toEqual(warnings(j.events));
  });

  it('no warning when the probe across the partition failed while it held (an enforcing plugin)', async () => {
    // Enforced: while faultline's policy exists, web cannot reach api.
    const { j } = await runPartition(() => sim!.state.list('networkpolicies').length === 0);
    expect(j.samples.some((s) => !s.ok)).toBe(true);
    expect(warnings(j.events).filter((m) => m.includes('no visible effect'))).toEqual([]);
  });
});
