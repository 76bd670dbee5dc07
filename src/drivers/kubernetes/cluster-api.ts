// The client-node API objects faultline uses, built once from an injected KubeConfig, plus one
// wrapper that turns every failure into an explained error (see api-errors.ts).
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, NetworkingV1Api, VersionApi, Watch } from '@kubernetes/client-node';
import { explainApiError, isNotFound, type ApiOp, type ClusterIdentity } from './api-errors.js';

export class ClusterApi {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly batch: BatchV1Api;
  readonly net: NetworkingV1Api;
  readonly version: VersionApi;
  readonly watcher: Watch;
  readonly identity: ClusterIdentity;
  /** The current context's namespace, "default" when it names none. */
  readonly contextNamespace: string;

  constructor(readonly kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.batch = kubeConfig.makeApiClient(BatchV1Api);
    this.net = kubeConfig.makeApiClient(NetworkingV1Api);
    this.version = kubeConfig.makeApiClient(VersionApi);
    this.watcher = new Watch(kubeConfig);
    const context = kubeConfig.getCurrentContext();
    this.identity = { context, server: kubeConfig.getCurrentCluster()?.server ?? '(no server)' };
    this.contextNamespace = kubeConfig.getContextObject(context)?.namespace || 'default';
  }

  /** Runs one API call; failures become explained errors, a 404 becomes `onNotFound()` when given. */
  async call<T>(op: ApiOp, fn: () => Promise<T>, onNotFound?: () => T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (onNotFound && isNotFound(err)) return onNotFound();
      throw explainApiError(err, op, this.identity);
    }
  }
}
