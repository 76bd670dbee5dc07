// Finding the cluster: the bad-input cases name where faultline looked and what it knows.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError, InvalidInputError } from '../../src/domain/errors.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { loadKubeConfig } from '../../src/drivers/kubernetes/load-kubeconfig.js';
import { startSimulator, type Simulator } from '../k8s-sim/simulator.js';
import { experiment, testContext } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const tmp = () => mkdtempSync(join(tmpdir(), 'faultline-kc-'));

describe('loadKubeConfig', () => {
  it('no kubeconfig: names every place it looked', () => {
    const home = tmp();
    const err = (() => {
      try {
        loadKubeConfig({ env: { KUBECONFIG: '/nope/a.yaml' }, homeDir: home, inClusterRoot: home });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(err!.message).toContain('no kubeconfig found; looked at: /nope/a.yaml (KUBECONFIG), ');
    expect(err!.message).toContain(join(home, '.kube', 'config'));
    expect(err!.message).toContain('/var/run/secrets/kubernetes.io/serviceaccount/token with KUBERNETES_SERVICE_HOST (in-cluster)');
  });

  it('unknown context: lists the known ones', async () => {
    sim = await startSimulator();
    const dir = tmp();
    const file = join(dir, 'config');
    writeFileSync(file, sim.kubeconfigYaml({ context: 'kind-shop' }));
    expect(() => loadKubeConfig({ kubeconfigPath: file, context: 'prod' })).toThrow(InvalidInputError);
    expect(() => loadKubeConfig({ kubeconfigPath: file, context: 'prod' })).toThrow(`unknown Kubernetes context "prod" (from --context) in ${file}; known contexts: kind-shop`);
    expect(() => loadKubeConfig({ kubeconfigPath: file, context: 'prod', contextFrom: 'spec.kubernetes.context at x.yaml:6:14' })).toThrow(`unknown Kubernetes context "prod" (from spec.kubernetes.context at x.yaml:6:14) in ${file}`);
  });

  it('reads KUBECONFIG, then ~/.kube/config, and reports context, server and namespace', async () => {
    sim = await startSimulator();
    const home = tmp();
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), sim.kubeconfigYaml({ namespace: 'shop' }));
    const fromHome = loadKubeConfig({ env: {}, homeDir: home });
    expect(fromHome).toMatchObject({ source: join(home, '.kube', 'config'), context: 'sim', server: sim.url, namespace: 'shop' });
    const other = join(home, 'other.yaml');
    writeFileSync(other, sim.kubeconfigYaml({ context: 'other' }));
    const fromEnv = loadKubeConfig({ env: { KUBECONFIG: other }, homeDir: home });
    expect(fromEnv).toMatchObject({ source: `KUBECONFIG=${other}`, context: 'other', namespace: 'default' });
  });

  it('detects the in-cluster service account', () => {
    const root = tmp();
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'tok');
    writeFileSync(join(sa, 'ca.crt'), '');
    writeFileSync(join(sa, 'namespace'), 'chaos');
    const got = loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: root, inClusterRoot: root });
    expect(got).toMatchObject({ source: 'in-cluster service account', server: 'https://10.0.0.1:443', namespace: 'chaos' });
  });
});

describe('open', () => {
  it('an unreachable API server is an EnvironmentError naming the context and the server', async () => {
    sim = await startSimulator();
    const kc = sim.kubeConfig({ context: 'kind-dev' });
    const url = sim.url;
    await sim.close();
    sim = undefined;
    const driver = new KubernetesDriver({ kubeConfig: kc });
    const err = await driver.open(experiment(), testContext()).catch((e) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(err.message).toBe(`cannot reach the Kubernetes API server ${url} (context "kind-dev"): ECONNREFUSED. Is the cluster running and the kubeconfig current?`);
  });

  it('succeeds against a live server (GET /version)', async () => {
    sim = await startSimulator();
    await new KubernetesDriver({ kubeConfig: sim.kubeConfig() }).open(experiment(), testContext());
    expect(sim.requests.map((r) => r.path)).toEqual(['/version']);
  });
});

describe('the driver on a loaded kubeconfig', () => {
  it('takes the namespace from spec.kubernetes.namespace over the context', async () => {
    sim = await startSimulator();
    const dir = tmp();
    const file = join(dir, 'config');
    writeFileSync(file, sim.kubeconfigYaml({ context: 'kind-shop', namespace: 'shop' }));
    const loaded = loadKubeConfig({ kubeconfigPath: file, context: 'kind-shop' });
    const driver = new KubernetesDriver({ kubeConfig: loaded.kubeConfig });
    expect(driver.namespace).toBe('shop');
    driver.configure(experiment({ kubernetes: { namespace: 'payments' } }));
    expect(driver.namespace).toBe('payments');
  });
});
