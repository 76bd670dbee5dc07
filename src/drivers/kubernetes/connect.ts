// One call for the CLI: find the kubeconfig (flag, KUBECONFIG, ~/.kube/config, in-cluster), pick
// the context (flag, then spec.kubernetes.context) and build the driver on it.
import type { Experiment } from '../../domain/experiment.js';
import { KubernetesDriver } from './kubernetes-driver.js';
import { loadKubeConfig, type LoadedKubeConfig, type LoadKubeConfigOptions } from './load-kubeconfig.js';

export interface ConnectOptions extends Omit<LoadKubeConfigOptions, 'context'> {
  /** --context; wins over spec.kubernetes.context. */
  context?: string;
  helperStartTimeoutMs?: number;
}

export function connectKubernetes(experiment: Experiment, opts: ConnectOptions = {}): { driver: KubernetesDriver; loaded: LoadedKubeConfig } {
  const context = opts.context ?? experiment.spec.kubernetes?.context;
  const loaded = loadKubeConfig({ ...opts, ...(context !== undefined ? { context } : {}) });
  const driver = new KubernetesDriver({ kubeConfig: loaded.kubeConfig, ...(opts.helperStartTimeoutMs !== undefined ? { helperStartTimeoutMs: opts.helperStartTimeoutMs } : {}) });
  driver.configure(experiment);
  return { driver, loaded };
}
