// The simulator's experiments against a real cluster. Opt-in: runs only when
// FAULTLINE_E2E_KUBECONFIG points at a kubeconfig (kind, k3d or minikube); without it the
// describe block is not run at all (describe.runIf), and the main vitest config never includes
// this directory anyway. See docs/kubernetes.md for a kind recipe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/domain/context.js';
import { Experiment } from '../../src/domain/experiment.js';

/** Spec fields as written in a file; the schema checks them when the experiment is parsed. */
type SpecInput = Record<string, unknown>;
import { runHostCommand } from '../../src/drivers/host-command.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { loadKubeConfig } from '../../src/drivers/kubernetes/load-kubeconfig.js';
import { runExperiment } from '../../src/engine/run-experiment.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { createNamespace, deployWeb, waitReady, type E2eNamespace } from './cluster.js';

const kubeconfigPath = process.env.FAULTLINE_E2E_KUBECONFIG;

describe.runIf(kubeconfigPath)('kubernetes driver against a real cluster', () => {
  let ns: E2eNamespace;
  let driver: KubernetesDriver;

  beforeAll(async () => {
    const loaded = loadKubeConfig({ kubeconfigPath: kubeconfigPath!, ...(process.env.FAULTLINE_E2E_CONTEXT ? { context: process.env.FAULTLINE_E2E_CONTEXT } : {}) });
    ns = await createNamespace(loaded.kubeConfig);
    await deployWeb(ns, 'web', 2);
    driver = new KubernetesDriver({ kubeConfig: loaded.kubeConfig, namespace: ns.name });
  });

  afterAll(async () => {
    await ns?.dispose();
  });

  const run = (spec: SpecInput) =>
    runExperiment({
      experiment: Experiment.parse({ apiVersion: 'faultline/v1', kind: 'Experiment', metadata: { name: 'e2e' }, spec: { driver: 'kubernetes', ...spec } }),
      baseDir: '.',
      driver,
      clock: systemClock,
      log: silentLogger,
      runCommand: runHostCommand,
      faultlineVersion: 'e2e',
    });

  it('pod deletion recovers within the SLO (k8s-ready from the watch stream)', async () => {
    const j = await run({
      targets: { web: { selector: { owner: { kind: 'Deployment', name: 'web' } }, pick: { count: 1 } } },
      probes: { ready: { 'k8s-ready': { kind: 'Deployment', name: 'web' }, every: '200ms' } },
      steadyState: ['ready'],
      faults: [{ 'pod-delete': { target: 'web', gracePeriod: '1s' } }],
      objectives: [{ recovery: { probe: 'ready', within: '60s' } }],
      observe: { steadyState: '2s', recoveryWindow: '90s' },
    });
    expect(j.status).toBe('completed');
    expect(j.verdicts[0]?.met).toBe(true);
  });

  it('scale to zero and back restores the replica count', async () => {
    const j = await run({
      faults: [{ scale: { workload: { kind: 'Deployment', name: 'web' }, replicas: 0 }, for: '5s' }],
      observe: { steadyState: '1s', recoveryWindow: '5s' },
    });
    expect(j.events.filter((e) => e.type === 'revert')).toEqual([expect.objectContaining({ ok: true })]);
    await waitReady(ns, 'web', 2, 120_000);
  });

  it('partition creates and removes its NetworkPolicy', async () => {
    await deployWeb(ns, 'api', 1);
    const j = await run({
      targets: { web: { selector: { labels: { app: 'web' } }, pick: { count: 1 } }, api: { selector: { labels: { app: 'api' } } } },
      faults: [{ partition: { from: 'web', to: 'api' }, for: '3s' }],
      observe: { steadyState: '1s', recoveryWindow: '2s' },
    });
    expect(j.events.filter((e) => e.type === 'inject' && e.ok)).toHaveLength(1);
    const left = await driver.api.net.listNamespacedNetworkPolicy({ namespace: ns.name, labelSelector: 'app.kubernetes.io/managed-by=faultline' });
    expect(left.items).toHaveLength(0);
  });
});
