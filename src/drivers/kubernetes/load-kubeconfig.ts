// Where the cluster is: --kubeconfig, then KUBECONFIG (a path list, merged), then ~/.kube/config,
// then the in-cluster service account. client-node's own loadFromDefault silently falls back to
// http://localhost:8080; faultline would rather say exactly where it looked.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { EnvironmentError, InvalidInputError } from '../../domain/errors.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface LoadKubeConfigOptions {
  /** --context or spec.kubernetes.context. Default: the kubeconfig's current context. */
  context?: string;
  /** Where `context` came from, for messages: "--context" (the default) or "spec.kubernetes.context at x.yaml:5:14". */
  contextFrom?: string;
  /** --kubeconfig; wins over KUBECONFIG. */
  kubeconfigPath?: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Prefix before /var/run/secrets/... (tests point it at a temporary directory). */
  inClusterRoot?: string;
}

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  /** Human form of where it came from: "/home/me/.kube/config", "KUBECONFIG=a:b", "in-cluster service account". */
  source: string;
  context: string;
  server: string;
  /** The context's namespace, "default" when it names none. */
  namespace: string;
}

export function loadKubeConfig(opts: LoadKubeConfigOptions = {}): LoadedKubeConfig {
  const env = opts.env ?? process.env;
  const home = opts.homeDir ?? homedir();
  const kc = new KubeConfig();
  const looked: string[] = [];
  let source: string | undefined;

  const files = opts.kubeconfigPath ? [opts.kubeconfigPath] : (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (opts.kubeconfigPath && !existsSync(opts.kubeconfigPath)) throw new InvalidInputError(`--kubeconfig ${opts.kubeconfigPath}: no such file`);
  const existing = files.filter((f) => existsSync(f));
  looked.push(...files.map((f) => `${f} (${opts.kubeconfigPath ? '--kubeconfig' : 'KUBECONFIG'})`));
  if (existing.length > 0) {
    loadFiles(kc, existing);
    source = opts.kubeconfigPath ? opts.kubeconfigPath : `KUBECONFIG=${existing.join(delimiter)}`;
  } else {
    const def = join(home, '.kube', 'config');
    looked.push(def);
    if (existsSync(def)) {
      loadFiles(kc, [def]);
      source = def;
    } else {
      const root = `${opts.inClusterRoot ?? ''}${SERVICE_ACCOUNT_DIR}`;
      looked.push(`${root}/token with KUBERNETES_SERVICE_HOST (in-cluster)`);
      if (env.KUBERNETES_SERVICE_HOST && existsSync(join(root, 'token'))) {
        const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
        // loadFromCluster reads process.env itself; hand it the environment we were given.
        process.env.KUBERNETES_SERVICE_HOST = env.KUBERNETES_SERVICE_HOST;
        process.env.KUBERNETES_SERVICE_PORT = env.KUBERNETES_SERVICE_PORT ?? '443';
        try {
          kc.loadFromCluster(opts.inClusterRoot ?? '');
        } finally {
          restoreEnv('KUBERNETES_SERVICE_HOST', saved.host);
          restoreEnv('KUBERNETES_SERVICE_PORT', saved.port);
        }
        source = 'in-cluster service account';
      }
    }
  }
  if (!source) {
    throw new EnvironmentError(`no kubeconfig found; looked at: ${looked.join(', ')}. Point KUBECONFIG at a kubeconfig file, or run faultline inside a cluster with a service account.`);
  }

  if (opts.context !== undefined) {
    const known = kc.getContexts().map((c) => c.name);
    if (!known.includes(opts.context)) {
      throw new InvalidInputError(`unknown Kubernetes context "${opts.context}" (from ${opts.contextFrom ?? '--context'}) in ${source}; known contexts: ${known.length ? known.join(', ') : '(none)'}`);
    }
    kc.setCurrentContext(opts.context);
  }
  const context = kc.getCurrentContext();
  const ctxObj = kc.getContextObject(context);
  if (!context || !ctxObj) throw new InvalidInputError(`${source} has no current context; pass --context (known: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
  const cluster = kc.getCurrentCluster();
  const chosen = opts.context !== undefined ? `from ${opts.contextFrom ?? '--context'}` : "the kubeconfig's current context";
  if (!cluster) throw new InvalidInputError(`context "${context}" (${chosen}) in ${source} names cluster "${ctxObj.cluster}", which is not defined there`);
  return { kubeConfig: kc, source, context, server: cluster.server, namespace: ctxObj.namespace || 'default' };
}

function loadFiles(kc: KubeConfig, files: string[]): void {
  for (const [i, f] of files.entries()) {
    try {
      if (i === 0) kc.loadFromFile(f);
      else {
        const more = new KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more);
      }
    } catch (e) {
      throw new InvalidInputError(`cannot read kubeconfig ${f}: ${(e as Error).message}`);
    }
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
