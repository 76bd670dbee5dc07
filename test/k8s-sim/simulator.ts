// Entry point for tests: start a simulated API server on 127.0.0.1 and get a KubeConfig for the
// real @kubernetes/client-node pointing at it.
import { KubeConfig } from '@kubernetes/client-node';
import { SimCluster, type SimOptions } from './cluster.js';
import { SimServer, type RecordedRequest } from './server.js';

export type { SimOptions, ForbidRule, RbacRule, WorkloadSeed, PodSeed, ProxyHandler, ProxyRequest } from './cluster.js';
export type { RecordedRequest } from './server.js';
export { SimCluster } from './cluster.js';
export type { ExecHandler, ExecRequest, ExecResult } from './exec.js';

export interface Simulator {
  url: string;
  /** The cluster state: seeding helpers, inspection, delays and RBAC rules. */
  state: SimCluster;
  requests: RecordedRequest[];
  kubeConfig(opts?: { namespace?: string; context?: string }): KubeConfig;
  kubeconfigYaml(opts?: { namespace?: string; context?: string }): string;
  /** Requests matching a verb and resource ("pods", "pods/ephemeralcontainers"), optionally a namespace. */
  requestsFor(verb: string, resource: string, namespace?: string): RecordedRequest[];
  /** Ends every open watch stream. */
  dropWatches(): void;
  close(): Promise<void>;
}

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const state = new SimCluster(opts);
  const server = new SimServer(state);
  const url = await server.listen();
  const yaml = (o: { namespace?: string; context?: string } = {}) => {
    const ctx = o.context ?? 'sim';
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: sim',
      '  cluster:',
      `    server: ${url}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: sim-user',
      '  user:',
      '    token: sim-token',
      'contexts:',
      `- name: ${ctx}`,
      '  context:',
      '    cluster: sim',
      '    user: sim-user',
      `    namespace: ${o.namespace ?? 'default'}`,
      `current-context: ${ctx}`,
      '',
    ].join('\n');
  };
  return {
    url,
    state,
    requests: server.requests,
    kubeconfigYaml: yaml,
    kubeConfig(o) {
      const kc = new KubeConfig();
      kc.loadFromString(yaml(o));
      return kc;
    },
    requestsFor(verb, resource, namespace) {
      return server.requests.filter((r) => r.verb === verb && r.resource === resource && (namespace === undefined || r.namespace === namespace));
    },
    dropWatches: () => server.dropWatches(),
    async close() {
      state.close();
      await server.close();
    },
  };
}
