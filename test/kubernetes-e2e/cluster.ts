// Set-up for the real-cluster suite: a throw-away namespace holding a small Deployment, deleted
// (with everything faultline left in it) when the suite ends.
import { randomBytes } from 'node:crypto';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

export interface E2eNamespace {
  name: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  dispose(): Promise<void>;
}

export async function createNamespace(kc: KubeConfig): Promise<E2eNamespace> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const name = `faultline-e2e-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'faultline-e2e' } } } });
  return {
    name,
    core,
    apps,
    dispose: async () => {
      await core.deleteNamespace({ name }).catch(() => undefined);
    },
  };
}

export async function deployWeb(ns: E2eNamespace, name: string, replicas: number): Promise<void> {
  const labels = { app: name };
  await ns.apps.createNamespacedDeployment({
    namespace: ns.name,
    body: {
      metadata: { name, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginxinc/nginx-unprivileged:1.27-alpine',
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
  });
  await waitReady(ns, name, replicas, 180_000);
}

export async function waitReady(ns: E2eNamespace, name: string, replicas: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const d = await ns.apps.readNamespacedDeployment({ name, namespace: ns.name });
    if ((d.status?.readyReplicas ?? 0) >= replicas) return;
    if (Date.now() > end) throw new Error(`deployment ${ns.name}/${name} not ready within ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
