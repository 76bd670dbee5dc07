// Full experiments through the real engine, the Kubernetes driver and the real client, against the
// simulator: a pod deletion within the SLO passes; the same experiment with a slow controller breaches.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/domain/context.js';
import { runHostCommand } from '../../src/drivers/host-command.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { runExperiment } from '../../src/engine/run-experiment.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { startSimulator, type SimOptions, type Simulator } from '../k8s-sim/simulator.js';
import { experiment, type SpecInput } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const podDeletion: SpecInput = {
  seed: 7,
  targets: { web: { selector: { labels: { app: 'web' } }, pick: { count: 1 } } },
  probes: { ready: { 'k8s-ready': { kind: 'Deployment', name: 'web' }, every: '20ms', timeout: '500ms' } },
  steadyState: ['ready'],
  observe: { steadyState: '100ms', recoveryWindow: '2s' },
  faults: [{ 'pod-delete': { target: 'web', gracePeriod: '1s' } }],
  objectives: [{ recovery: { probe: 'ready', within: '1s', consecutive: 2 } }],
};

async function run(simOpts: SimOptions, spec: SpecInput) {
  sim = await startSimulator(simOpts);
  sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 3 });
  const driver = new KubernetesDriver({ kubeConfig: sim.kubeConfig({ namespace: 'shop' }) });
  return runExperiment({ experiment: experiment(spec), baseDir: '.', driver, clock: systemClock, log: silentLogger, runCommand: runHostCommand, faultlineVersion: 'test', runId: 'e2e-run-0001' });
}

describe('end to end (engine + kubernetes driver + simulator)', () => {
  it('a pod deletion recovered within the SLO passes', async () => {
    const j = await run({ recreateDelayMs: 50, readyDelayMs: 100 }, podDeletion);
    expect(j.status).toBe('completed');
    expect(j.deviated).toBe(false);
    expect(j.targets).toHaveLength(1);
    expect(j.events.filter((e) => e.type === 'inject')).toEqual([expect.objectContaining({ kind: 'pod-delete', ok: true, target: j.targets[0]!.id })]);
    expect(sim!.state.deletions).toEqual([{ namespace: 'shop', name: j.targets[0]!.meta.pod, gracePeriodSeconds: 1 }]);
    expect(j.verdicts).toHaveLength(1);
    expect(j.verdicts[0]).toMatchObject({ kind: 'recovery', met: true });
    expect(j.verdicts[0]!.measured!).toBeLessThan(1000);
    expect(j.samples.some((s) => !s.ok)).toBe(true);
    expect(sim!.requestsFor('watch', 'deployments')).toHaveLength(1);
  });

  it('the same experiment against a slow controller breaches the SLO', async () => {
    const j = await run({ recreateDelayMs: 700, readyDelayMs: 700 }, podDeletion);
    expect(j.verdicts[0]).toMatchObject({ kind: 'recovery', met: false });
    expect(j.status).toBe('completed');
    expect(j.deviated).toBe(true);
  });

  it('scale down and back: the workload is restored on revert', async () => {
    const j = await run(
      { recreateDelayMs: 20, readyDelayMs: 20 },
      {
        probes: { ready: { 'k8s-ready': { kind: 'Deployment', name: 'web' }, every: '20ms', timeout: '500ms' } },
        steadyState: ['ready'],
        observe: { steadyState: '60ms', recoveryWindow: '1s' },
        faults: [{ scale: { workload: { kind: 'Deployment', name: 'web' }, replicas: 1 }, for: '200ms' }],
        objectives: [{ recovery: { probe: 'ready', within: '500ms' } }],
      },
    );
    expect(j.status).toBe('completed');
    expect(j.events.filter((e) => e.type === 'revert')).toEqual([expect.objectContaining({ kind: 'scale', ok: true })]);
    expect(sim!.state.get('deployments', 'shop', 'web')!.spec.replicas).toBe(3);
  });

  it('pod-failure held for its time, judged by k8s-ready over the labelled pods: reverted, recovered, the same pod throughout', async () => {
    const j = await run(
      { recreateDelayMs: 20, readyDelayMs: 20 },
      {
        seed: 7,
        targets: { web: { selector: { labels: { app: 'web' } }, pick: { count: 1 } } },
        probes: { pods: { 'k8s-ready': { kind: 'Pod', labels: { app: 'web' }, count: 3 }, every: '20ms', timeout: '500ms' } },
        steadyState: ['pods'],
        observe: { steadyState: '60ms', recoveryWindow: '2s' },
        faults: [{ 'pod-failure': { target: 'web', image: 'registry.k8s.io/pause:3.10' }, for: '300ms' }],
        objectives: [{ recovery: { probe: 'pods', within: '1s' } }],
      },
    );
    expect(j.status).toBe('completed');
    expect(j.events.filter((e) => e.type === 'revert')).toEqual([expect.objectContaining({ kind: 'pod-failure', ok: true })]);
    expect(j.verdicts[0]).toMatchObject({ kind: 'recovery', met: true });
    // The probe saw the pod fail while it was held.
    expect(j.samples.some((s) => !s.ok && /is not Ready/.test(s.error ?? ''))).toBe(true);
    const victim = sim!.state.pod('shop', j.targets[0]!.meta.pod as string)!;
    expect(victim.metadata.uid).toBe(j.targets[0]!.meta.uid);
    expect(victim.spec.containers[0].image).toBe('registry.example/main:1.0');
    expect(victim.metadata.annotations?.['faultline.io/pod-failure']).toBeUndefined();
    expect(sim!.state.deletions).toEqual([]);
  });
});
