// The simulator exercised through the real @kubernetes/client-node, so the driver's tests rest on
// wire shapes the real client accepts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppsV1Api, CoordinationV1Api, CoreV1Api, NetworkingV1Api, PatchStrategy, Watch, setHeaderOptions, type ApiException } from '@kubernetes/client-node';
import { startSimulator, type Simulator } from './simulator.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ recreateDelayMs: 20, readyDelayMs: 20 });
});
afterEach(async () => {
  await sim.close();
});

const core = () => sim.kubeConfig().makeApiClient(CoreV1Api);
const apps = () => sim.kubeConfig().makeApiClient(AppsV1Api);
const until = async (cond: () => boolean | Promise<boolean>, ms = 2000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const statusOf = (e: unknown) => JSON.parse(String((e as ApiException<string>).body));

describe('pods: list with selectors', () => {
  beforeEach(() => {
    sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 3, labels: { app: 'web' }, podLabels: { tier: 'front' }, nodes: ['node-a', 'node-b'] });
    sim.state.addDeployment({ namespace: 'shop', name: 'db', replicas: 1, labels: { app: 'db' }, podLabels: { tier: 'back' } });
    sim.state.addPod({ namespace: 'other', name: 'loner', labels: { app: 'web', canary: 'yes' }, phase: 'Pending', ready: false });
  });

  it('filters by equality and set-based label selectors', async () => {
    const names = async (labelSelector: string, namespace = 'shop') => (await core().listNamespacedPod({ namespace, labelSelector })).items.map((p) => p.metadata!.labels!.app);
    expect(await names('app=web')).toEqual(['web', 'web', 'web']);
    expect(await names('tier in (front,back)')).toHaveLength(4);
    expect(await names('tier notin (front)')).toEqual(['db']);
    expect(await names('app!=web')).toEqual(['db']);
    expect(await names('canary', 'other')).toEqual(['web']);
    expect(await names('!canary', 'other')).toEqual([]);
    expect(await names('app=web,!canary')).toHaveLength(3);
  });

  it('filters by fields and lists across namespaces', async () => {
    const all = await core().listPodForAllNamespaces({ labelSelector: 'app=web' });
    expect(all.items.map((p) => p.metadata!.namespace).sort()).toEqual(['other', 'shop', 'shop', 'shop']);
    const pending = await core().listPodForAllNamespaces({ fieldSelector: 'status.phase=Pending' });
    expect(pending.items.map((p) => p.metadata!.name)).toEqual(['loner']);
    const onB = await core().listNamespacedPod({ namespace: 'shop', fieldSelector: 'spec.nodeName=node-b' });
    expect(onB.items).toHaveLength(1);
    const one = await core().listPodForAllNamespaces({ fieldSelector: 'metadata.namespace=other,metadata.name=loner' });
    expect(one.items).toHaveLength(1);
  });

  it('rejects an unsupported field selector with a 400 Status', async () => {
    const err = await core().listNamespacedPod({ namespace: 'shop', fieldSelector: 'spec.bogus=1' }).catch((e) => e);
    expect(err.code).toBe(400);
    expect(statusOf(err)).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'field label not supported: spec.bogus' });
  });

  it('pages with limit and continue', async () => {
    const first = await core().listNamespacedPod({ namespace: 'shop', limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await core().listNamespacedPod({ namespace: 'shop', limit: 3, _continue: first.metadata!._continue! });
    expect(second.items).toHaveLength(1);
    expect(second.metadata?._continue).toBeUndefined();
  });
});

describe('controllers', () => {
  it('re-creates a deleted deployment pod, which becomes Ready after a delay', async () => {
    sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2 });
    const before = await core().listNamespacedPod({ namespace: 'shop' });
    const victim = before.items[0]!.metadata!.name!;
    await core().deleteNamespacedPod({ name: victim, namespace: 'shop', gracePeriodSeconds: 5 });
    expect(sim.state.deletions).toEqual([{ namespace: 'shop', name: victim, gracePeriodSeconds: 5 }]);
    expect((await apps().readNamespacedDeployment({ name: 'web', namespace: 'shop' })).status?.readyReplicas).toBe(1);
    await until(async () => (await apps().readNamespacedDeployment({ name: 'web', namespace: 'shop' })).status?.readyReplicas === 2);
    const after = await core().listNamespacedPod({ namespace: 'shop' });
    expect(after.items.map((p) => p.metadata!.name)).not.toContain(victim);
    expect(after.items.every((p) => p.metadata!.ownerReferences![0]!.kind === 'ReplicaSet')).toBe(true);
    expect(after.items.every((p) => p.status!.conditions!.some((c) => c.type === 'Ready' && c.status === 'True'))).toBe(true);
  });

  it('keeps a gracefully deleted pod Terminating when told to, and re-creates a StatefulSet pod under its name', async () => {
    await sim.close();
    sim = await startSimulator({ recreateDelayMs: 10, readyDelayMs: 10, terminationDelayMs: 60 });
    sim.state.addStatefulSet({ namespace: 'db', name: 'pg', replicas: 2 });
    const res = await core().deleteNamespacedPod({ name: 'pg-0', namespace: 'db' });
    expect(res.metadata?.deletionTimestamp).toBeDefined();
    const uid = res.metadata!.uid;
    await until(() => sim.state.pod('db', 'pg-0') !== undefined && sim.state.pod('db', 'pg-0')!.metadata.uid !== uid);
    await until(() => sim.state.get('statefulsets', 'db', 'pg')!.status.readyReplicas === 2);
  });

  it('scales through the scale subresource (get, patch, put)', async () => {
    sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2 });
    const scale = await apps().readNamespacedDeploymentScale({ name: 'web', namespace: 'shop' });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } });
    await apps().patchNamespacedDeploymentScale({ name: 'web', namespace: 'shop', body: [{ op: 'replace', path: '/spec/replicas', value: 0 }] });
    await until(() => sim.state.pods('shop').length === 0);
    await apps().patchNamespacedDeploymentScale({ name: 'web', namespace: 'shop', body: { spec: { replicas: 3 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await until(() => sim.state.get('deployments', 'shop', 'web')!.status.readyReplicas === 3);
    const put = await apps().replaceNamespacedDeploymentScale({ name: 'web', namespace: 'shop', body: { metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 1 } } });
    expect(put.spec?.replicas).toBe(1);
    await until(() => sim.state.pods('shop').length === 1);
    const bad = await apps().replaceNamespacedDeploymentScale({ name: 'web', namespace: 'shop', body: { metadata: { name: 'web' }, spec: { replicas: -1 } } }).catch((e) => e);
    expect(bad.code).toBe(422);
    expect(statusOf(bad).reason).toBe('Invalid');
  });
});

describe('workloads created through the API', () => {
  it('get a controller, and go away with their namespace', async () => {
    await core().createNamespace({ body: { metadata: { name: 'fresh' } } });
    await apps().createNamespacedDeployment({
      namespace: 'fresh',
      body: { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
    });
    await until(async () => (await apps().readNamespacedDeployment({ name: 'web', namespace: 'fresh' })).status?.readyReplicas === 2);
    expect(sim.state.pods('fresh').every((p) => p.metadata.ownerReferences[0].kind === 'ReplicaSet')).toBe(true);
    await core().deleteNamespace({ name: 'fresh' });
    await new Promise((r) => setTimeout(r, 60));
    expect(sim.state.pods('fresh')).toEqual([]);
    expect(sim.state.list('deployments', 'fresh')).toEqual([]);
  });
});

describe('watch', () => {
  it('streams ADDED for existing pods, then MODIFIED and DELETED with resource versions', async () => {
    sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 1 });
    const events: { type: string; name: string; rv: string; ready: boolean }[] = [];
    const ended = new Promise<unknown>((resolve) => {
      void new Watch(sim.kubeConfig())
        .watch('/api/v1/namespaces/shop/pods', { labelSelector: 'app=web' }, (type, obj) => {
          events.push({ type, name: obj.metadata.name, rv: obj.metadata.resourceVersion, ready: obj.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') });
        }, resolve)
        .then((ctl) => (stop = ctl));
    });
    let stop: AbortController | undefined;
    await until(() => events.length === 1);
    const victim = events[0]!.name;
    await core().deleteNamespacedPod({ name: victim, namespace: 'shop' });
    await until(() => events.some((e) => e.type === 'MODIFIED' && e.ready));
    expect(events[0]).toMatchObject({ type: 'ADDED', name: victim });
    expect(events[1]).toMatchObject({ type: 'DELETED', name: victim });
    expect(events[2]).toMatchObject({ type: 'ADDED', ready: false });
    const rvs = events.map((e) => Number(e.rv));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    stop!.abort();
    await ended;
  });

  it('replays from a resourceVersion and answers 410 when the history is gone', async () => {
    await sim.close();
    sim = await startSimulator({ historyLimit: 2 });
    const list = await core().listNamespacedPod({ namespace: 'default' });
    for (let i = 0; i < 6; i++) sim.state.addPod({ name: `p${i}` });
    const seen: string[] = [];
    const err = await new Promise<unknown>((resolve) => {
      void new Watch(sim.kubeConfig()).watch('/api/v1/namespaces/default/pods', { resourceVersion: list.metadata!.resourceVersion }, (t, o) => seen.push(`${t} ${o.metadata.name}`), resolve);
    });
    expect((err as { statusCode: number }).statusCode).toBe(410);
  });
});

describe('errors', () => {
  it('answers 403 in the real Status shape with the RBAC message', async () => {
    sim.state.addPod({ namespace: 'shop', name: 'x' });
    sim.state.forbid({ verb: 'delete', resource: 'pods', namespace: 'shop' });
    const err = await core().deleteNamespacedPod({ name: 'x', namespace: 'shop' }).catch((e) => e);
    expect(err.code).toBe(403);
    expect(statusOf(err)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" is forbidden: User "system:serviceaccount:faultline:faultline" cannot delete resource "pods" in API group "" in the namespace "shop"',
      reason: 'Forbidden',
      details: { name: 'x', kind: 'pods' },
      code: 403,
    });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', verb: 'delete', resource: 'pods', namespace: 'shop', name: 'x', status: 403 });
  });

  it('answers 404 and 409 for missing and duplicate objects', async () => {
    const missing = await core().readNamespacedPod({ name: 'nope', namespace: 'default' }).catch((e) => e);
    expect(statusOf(missing)).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "nope" not found' });
    const net = sim.kubeConfig().makeApiClient(NetworkingV1Api);
    const body = { metadata: { name: 'np' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    await net.createNamespacedNetworkPolicy({ namespace: 'default', body });
    const dup = await net.createNamespacedNetworkPolicy({ namespace: 'default', body }).catch((e) => e);
    expect(statusOf(dup)).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'networkpolicies.networking.k8s.io "np" already exists' });
  });
});

describe('network policies and leases', () => {
  it('creates, lists by label, deletes and deletes by collection', async () => {
    const net = sim.kubeConfig().makeApiClient(NetworkingV1Api);
    for (const [name, run] of [['a', 'r1'], ['b', 'r1'], ['c', 'r2']] as const) {
      await net.createNamespacedNetworkPolicy({ namespace: 'shop', body: { metadata: { name, labels: { 'faultline.io/run-id': run } }, spec: { podSelector: {} } } });
    }
    expect((await net.listNamespacedNetworkPolicy({ namespace: 'shop', labelSelector: 'faultline.io/run-id=r1' })).items).toHaveLength(2);
    await net.deleteNamespacedNetworkPolicy({ name: 'c', namespace: 'shop' });
    await net.deleteCollectionNamespacedNetworkPolicy({ namespace: 'shop', labelSelector: 'faultline.io/run-id=r1' });
    expect(sim.state.list('networkpolicies')).toHaveLength(0);
  });

  it('enforces resourceVersion on lease updates', async () => {
    const co = sim.kubeConfig().makeApiClient(CoordinationV1Api);
    const lease = await co.createNamespacedLease({ namespace: 'faultline', body: { metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } } });
    const updated = await co.replaceNamespacedLease({ name: 'leader', namespace: 'faultline', body: { ...lease, spec: { holderIdentity: 'b' } } });
    expect(updated.spec?.holderIdentity).toBe('b');
    const stale = await co.replaceNamespacedLease({ name: 'leader', namespace: 'faultline', body: { ...lease, spec: { holderIdentity: 'c' } } }).catch((e) => e);
    expect(statusOf(stale)).toMatchObject({ code: 409, reason: 'Conflict' });
    expect((await co.readNamespacedLease({ name: 'leader', namespace: 'faultline' })).spec?.holderIdentity).toBe('b');
  });
});

describe('ephemeral containers', () => {
  it('accepts a strategic-merge patch and starts the container after a delay', async () => {
    sim.state.addPod({ namespace: 'shop', name: 'p' });
    await core().patchNamespacedPodEphemeralcontainers(
      { name: 'p', namespace: 'shop', body: { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox', command: ['sleep', '1d'] }] } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const state = () => sim.state.pod('shop', 'p')!.status.ephemeralContainerStatuses[0].state;
    expect(state()).toHaveProperty('waiting');
    await until(() => 'running' in state());
    const rm = await core().replaceNamespacedPodEphemeralcontainers({ name: 'p', namespace: 'shop', body: { metadata: { name: 'p' }, spec: { containers: [], ephemeralContainers: [] } } }).catch((e) => e);
    expect(statusOf(rm)).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('leaves the container waiting when told it never starts', async () => {
    await sim.close();
    sim = await startSimulator({ ephemeralStartDelayMs: 'never' });
    sim.state.addPod({ name: 'p' });
    await core().patchNamespacedPodEphemeralcontainers({ name: 'p', namespace: 'default', body: [{ op: 'add', path: '/spec/ephemeralContainers', value: [{ name: 'x', image: 'busybox' }] }] });
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.state.pod('default', 'p')!.status.ephemeralContainerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
  });
});

describe('pods/exec', () => {
  it('runs the installed handler over the v4 channel protocol, with the exit code in the Status', async () => {
    const { Exec } = await import('@kubernetes/client-node');
    const { Writable } = await import('node:stream');
    sim.state.addPod({ namespace: 'shop', name: 'p', containers: ['app'] });
    sim.state.execHandler = (req) => (req.command[0] === 'role' ? { stdout: `primary in ${req.pod}/${req.container}\n`, exitCode: 0 } : { stderr: 'nope\n', exitCode: 3 });
    const run = (command: string[]) =>
      new Promise<{ out: string; status: { status?: string; details?: { causes?: { message?: string }[] } } }>((resolve, reject) => {
        let out = '';
        const stdout = new Writable({ write: (c, _e, done) => ((out += String(c)), done()) });
        new Exec(sim.kubeConfig()).exec('shop', 'p', 'app', command, stdout, null, null, false, (status) => resolve({ out, status })).catch(reject);
      });
    expect(await run(['role'])).toEqual({ out: 'primary in p/app\n', status: { metadata: {}, status: 'Success' } });
    const failed = await run(['false']);
    expect(failed.status.status).toBe('Failure');
    expect(failed.status.details?.causes?.[0]?.message).toBe('3');
    expect(sim.requestsFor('create', 'pods/exec', 'shop')).toHaveLength(2);
    expect(sim.requestsFor('create', 'pods/exec', 'shop')[0]!.query).toMatchObject({ command: 'role', container: 'app' });
  });

  it('refuses the upgrade with a 403 or 404 before switching protocols', async () => {
    const { Exec } = await import('@kubernetes/client-node');
    sim.state.addPod({ namespace: 'shop', name: 'p' });
    sim.state.forbid({ verb: 'create', resource: 'pods/exec', namespace: 'shop' });
    const err = await new Exec(sim.kubeConfig()).exec('shop', 'p', 'main', ['id'], null, null, null, false).catch((e) => e);
    expect(String(err.message)).toContain('403');
    const missing = await new Exec(sim.kubeConfig()).exec('shop', 'gone', 'main', ['id'], null, null, null, false).catch((e) => e);
    expect(String(missing.message)).toContain('40');
  });
});
