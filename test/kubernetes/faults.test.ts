// Each Kubernetes fault against the simulator: what it asked the API to do, and its revert.
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/domain/errors.js';
import type { FaultKind, FaultParams } from '../../src/domain/experiment.js';
import type { Target } from '../../src/domain/model.js';
import type { FaultContext } from '../support/faults.js';
import { faultOf } from '../support/faults.js';
import { fixture, until, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

function fc<K extends FaultKind>(params: FaultParams<K>, groups: Record<string, Target[]>): FaultContext<K> {
  return { params, driver: f!.driver, groups: new Map(Object.entries(groups)) };
}

async function webTargets(opts: Parameters<typeof fixture>[0] = {}): Promise<Target[]> {
  f = await fixture(opts);
  f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2, containers: ['app', 'sidecar'] });
  return f.driver.candidates({ labels: { app: 'web' } }, 'web', f.ctx);
}

describe('pod-delete and pod-kill', () => {
  it('pod-delete deletes with the given grace period and a uid precondition; the controller re-creates the pod', async () => {
    const [victim] = await webTargets();
    const fault = faultOf('pod-delete');
    const ctx = fc<'pod-delete'>({ target: 'web', gracePeriod: 5000 }, { web: [victim!] });
    expect(fault.describe(victim!, ctx)).toContain('grace period 5s');
    const inj = await fault.inject(victim!, ctx, f!.ctx);
    const del = f!.sim.requestsFor('delete', 'pods', 'shop');
    expect(del).toHaveLength(1);
    expect(del[0]).toMatchObject({ name: victim!.meta.pod, query: { gracePeriodSeconds: '5' }, body: { gracePeriodSeconds: 5, preconditions: { uid: victim!.meta.uid } }, status: 200 });
    expect(await inj.revert(f!.ctx)).toEqual({ note: 'instant fault: nothing to revert' });
    await until(() => f!.sim.state.get('deployments', 'shop', 'web')!.status.readyReplicas === 2 && f!.sim.state.pods('shop').length === 2);
  });

  it("pod-delete without a grace period leaves the pod's own", async () => {
    const [victim] = await webTargets();
    await faultOf('pod-delete').inject(victim!, fc<'pod-delete'>({ target: 'web' }, {}), f!.ctx);
    expect(f!.sim.state.deletions).toEqual([{ namespace: 'shop', name: victim!.meta.pod, gracePeriodSeconds: undefined }]);
  });

  it('pod-kill deletes with grace period 0', async () => {
    const [victim] = await webTargets();
    await faultOf('pod-kill').inject(victim!, fc<'pod-kill'>({ target: 'web' }, {}), f!.ctx);
    expect(f!.sim.state.deletions).toEqual([{ namespace: 'shop', name: victim!.meta.pod, gracePeriodSeconds: 0 }]);
  });

  it('a pod that vanished between selection and injection is recorded, not a crash; its revert counts as reverted', async () => {
    const [victim] = await webTargets();
    f!.sim.state.deletePod('shop', victim!.meta.pod as string, 0);
    const inj = await faultOf('pod-delete').inject(victim!, fc<'pod-delete'>({ target: 'web' }, {}), f!.ctx);
    expect(inj.undo).toEqual({ vanished: true });
    expect(f!.ctx.lines.some((l) => l.startsWith('warn:') && l.includes(`${victim!.name} was deleted before the fault reached it`))).toBe(true);
    expect(await inj.revert(f!.ctx)).toEqual({ vanished: true });
  });

  it('a StatefulSet pod re-created under the same name is not deleted in the victim\'s place', async () => {
    f = await fixture();
    f.sim.state.addStatefulSet({ namespace: 'shop', name: 'db', replicas: 1 });
    const [victim] = await f.driver.candidates({ names: ['db-0'] }, 'db', f.ctx);
    f.sim.state.deletePod('shop', 'db-0', 0);
    await until(() => f!.sim.state.pod('shop', 'db-0') !== undefined);
    const inj = await faultOf('pod-kill').inject(victim!, fc<'pod-kill'>({ target: 'db' }, {}), f.ctx);
    expect(inj.undo).toEqual({ vanished: true });
    expect(f.sim.state.pod('shop', 'db-0')).toBeDefined();
    expect(f.sim.requestsFor('delete', 'pods').at(-1)!.status).toBe(409);
  });

  it('a 403 on delete names the verb, resource, namespace and the RBAC rule that would allow it', async () => {
    const [victim] = await webTargets({ forbid: [{ verb: 'delete', resource: 'pods', namespace: 'shop' }] });
    const err = await faultOf('pod-delete').inject(victim!, fc<'pod-delete'>({ target: 'web' }, {}), f!.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(err.message).toBe(
      `Kubernetes refused to delete pods "${victim!.meta.pod}" in namespace "shop" for system:serviceaccount:faultline:faultline (403 Forbidden, context "sim"). ` +
        'Grant it with this rule in a Role in namespace "shop" bound to that identity: {apiGroups: [""], resources: ["pods"], verbs: ["delete"]}',
    );
  });
});

describe('container-kill', () => {
  it('adds a one-shot ephemeral helper targeting the container and waits for it to finish', async () => {
    const [victim] = await webTargets();
    await faultOf('container-kill').inject(victim!, fc<'container-kill'>({ target: 'web', container: 'sidecar', signal: 'SIGTERM' }, {}), f!.ctx);
    const patch = f!.sim.requestsFor('patch', 'pods/ephemeralcontainers', 'shop');
    expect(patch).toHaveLength(1);
    expect(patch[0]!.contentType).toBe('application/strategic-merge-patch+json');
    const helper = (patch[0]!.body as { spec: { ephemeralContainers: Record<string, any>[] } }).spec.ephemeralContainers[0]!;
    expect(helper).toMatchObject({ targetContainerName: 'sidecar', image: 'nicolaka/netshoot:v0.13', command: ['sh', '-c', expect.stringContaining('kill -s TERM 1')] });
    expect(helper.name).toMatch(/^faultline-kill-run12345-/);
    expect(helper.env).toEqual(expect.arrayContaining([{ name: 'FAULTLINE_ACTION', value: 'kill' }, { name: 'FAULTLINE_RUN_ID', value: 'run12345-abcdef' }]));
    const pod = f!.sim.state.pod('shop', victim!.meta.pod as string)!;
    expect(pod.status.containerStatuses.find((c: { name: string }) => c.name === 'sidecar').restartCount).toBe(1);
    expect(pod.status.ephemeralContainerStatuses[0].state.terminated.exitCode).toBe(0);
  });

  it('refuses a container the pod does not have', async () => {
    const [victim] = await webTargets();
    const err = await faultOf('container-kill').inject(victim!, fc<'container-kill'>({ target: 'web', container: 'nope', signal: 'SIGKILL' }, {}), f!.ctx).catch((e) => e);
    expect(err.message).toContain('has no container "nope" (its containers: app, sidecar)');
    expect(f!.sim.requestsFor('patch', 'pods/ephemeralcontainers')).toHaveLength(0);
  });
});

describe('scale', () => {
  it('scales to N, remembers the original count and restores it on revert', async () => {
    f = await fixture();
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 3 });
    const fault = faultOf('scale');
    const ctx = fc<'scale'>({ workload: { kind: 'Deployment', name: 'web' }, replicas: 1 }, {});
    const [victim] = fault.victims(ctx);
    expect(victim).toMatchObject({ id: 'deployment/shop/web', name: 'Deployment shop/web' });
    const inj = await fault.inject(victim!, ctx, f.ctx);
    expect(inj.undo).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'web', replicas: 3 });
    expect(f.sim.requestsFor('update', 'deployments/scale', 'shop')[0]!.body).toMatchObject({ spec: { replicas: 1 } });
    await until(() => f!.sim.state.pods('shop').length === 1);
    expect(await inj.revert(f.ctx)).toEqual({});
    await until(() => f!.sim.state.get('deployments', 'shop', 'web')!.status.readyReplicas === 3);
  });

  it('a StatefulSet deleted during the fault counts as restored', async () => {
    f = await fixture();
    f.sim.state.addStatefulSet({ namespace: 'db', name: 'pg', replicas: 2 });
    const ctx = fc<'scale'>({ workload: { kind: 'StatefulSet', name: 'pg', namespace: 'db' }, replicas: 0 }, {});
    const fault = faultOf('scale');
    const inj = await fault.inject(fault.victims(ctx)[0]!, ctx, f.ctx);
    f.sim.state.store.remove((await import('../k8s-sim/resources.js')).RESOURCES.find((r) => r.plural === 'statefulsets')!, 'db', 'pg');
    expect(await inj.revert(f.ctx)).toMatchObject({ vanished: true });
  });
});

describe('partition', () => {
  it('creates a labelled NetworkPolicy that cuts the peers only, and deletes it and the labels on revert', async () => {
    f = await fixture();
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 1 });
    f.sim.state.addStatefulSet({ namespace: 'shop', name: 'db', replicas: 2 });
    const web = await f.driver.candidates({ labels: { app: 'web' } }, 'web', f.ctx);
    const db = await f.driver.candidates({ labels: { app: 'db' } }, 'db', f.ctx);
    const fault = faultOf('partition');
    const ctx = fc<'partition'>({ from: 'web', to: 'db', direction: 'both' }, { web, db });
    const inj = await fault.inject(web[0]!, ctx, f.ctx);
    const [policy] = f.sim.state.list('networkpolicies', 'shop');
    expect(policy!.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'faultline', 'faultline.io/run-id': 'run12345-abcdef' });
    expect(Date.parse(policy!.metadata.annotations['faultline.io/expires-at'])).toBeGreaterThan(Date.now());
    const key = Object.keys(policy!.spec.podSelector.matchLabels)[0]!;
    expect(key).toMatch(/^faultline\.io\/partition-run12345-/);
    expect(policy!.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const peerIps = db.map((t) => `${t.meta.podIP}/32`);
    expect(policy!.spec.ingress[0].from).toEqual([
      { namespaceSelector: {}, podSelector: { matchExpressions: [{ key, operator: 'NotIn', values: ['peer'] }] } },
      { ipBlock: { cidr: '0.0.0.0/0', except: peerIps } },
      { ipBlock: { cidr: '::/0' } },
    ]);
    expect(policy!.spec.egress[0].to).toEqual(policy!.spec.ingress[0].from);
    expect(f.sim.state.pod('shop', web[0]!.meta.pod as string)!.metadata.labels[key]).toBe('victim');
    expect(f.sim.state.pods('shop').filter((p) => p.metadata.labels[key] === 'peer')).toHaveLength(2);

    expect(await inj.revert(f.ctx)).toEqual({});
    expect(f.sim.state.list('networkpolicies')).toHaveLength(0);
    expect(f.sim.state.pods('shop').filter((p) => key in p.metadata.labels)).toHaveLength(0);
  });

  it('one direction only: "to" makes an Egress policy', async () => {
    f = await fixture();
    f.sim.state.addPod({ namespace: 'shop', name: 'a', labels: { app: 'a' } });
    f.sim.state.addPod({ namespace: 'shop', name: 'b', labels: { app: 'b' } });
    const [a] = await f.driver.candidates({ names: ['a'] }, 'a', f.ctx);
    const [b] = await f.driver.candidates({ names: ['b'] }, 'b', f.ctx);
    await faultOf('partition').inject(a!, fc<'partition'>({ from: 'a', to: 'b', direction: 'to' }, { a: [a!], b: [b!] }), f.ctx);
    const [policy] = f.sim.state.list('networkpolicies', 'shop');
    expect(policy!.spec.policyTypes).toEqual(['Egress']);
    expect(policy!.spec.ingress).toBeUndefined();
  });

  it('warns when the victim already has NetworkPolicies (policies add up)', async () => {
    f = await fixture();
    f.sim.state.addPod({ namespace: 'shop', name: 'a', labels: { app: 'a' } });
    f.sim.state.addPod({ namespace: 'shop', name: 'b', labels: { app: 'b' } });
    await f.sim.kubeConfig().makeApiClient((await import('@kubernetes/client-node')).NetworkingV1Api).createNamespacedNetworkPolicy({ namespace: 'shop', body: { metadata: { name: 'app-a' }, spec: { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress'] } } });
    const [a] = await f.driver.candidates({ names: ['a'] }, 'a', f.ctx);
    const [b] = await f.driver.candidates({ names: ['b'] }, 'b', f.ctx);
    await faultOf('partition').inject(a!, fc<'partition'>({ from: 'a', to: 'b', direction: 'both' }, { a: [a!], b: [b!] }), f.ctx);
    expect(f.ctx.lines.some((l) => l.includes('already selected by NetworkPolicy app-a'))).toBe(true);
  });

  it('cleans up what it did when creating the policy fails, and reports the 403', async () => {
    f = await fixture({ forbid: [{ verb: 'create', resource: 'networkpolicies', namespace: 'shop' }] });
    f.sim.state.addPod({ namespace: 'shop', name: 'a', labels: { app: 'a' } });
    f.sim.state.addPod({ namespace: 'shop', name: 'b', labels: { app: 'b' } });
    const [a] = await f.driver.candidates({ names: ['a'] }, 'a', f.ctx);
    const [b] = await f.driver.candidates({ names: ['b'] }, 'b', f.ctx);
    const err = await faultOf('partition').inject(a!, fc<'partition'>({ from: 'a', to: 'b', direction: 'both' }, { a: [a!], b: [b!] }), f.ctx).catch((e) => e);
    expect(err.message).toContain('{apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["create"]}');
    expect(f.sim.state.pods('shop').every((p) => !Object.keys(p.metadata.labels).some((k) => k.startsWith('faultline.io/')))).toBe(true);
  });
});

describe('latency, loss and bandwidth', () => {
  it('latency runs a NET_ADMIN helper holding tc netem; revert runs a restore helper', async () => {
    const [victim] = await webTargets();
    const fault = faultOf('latency');
    const ctx = fc<'latency'>({ target: 'web', delay: 200, jitter: 20, direction: 'from' }, { web: [victim!] });
    expect(fault.describe(victim!, ctx)).toContain('tc netem delay 200ms 20ms on egress');
    const inj = await fault.inject(victim!, ctx, f!.ctx);
    const pod = victim!.meta.pod as string;
    const held = f!.sim.state.impairment('shop', pod);
    expect(held).toBeDefined();
    expect(JSON.parse(held!.env.FAULTLINE_IMPAIRMENT!)).toMatchObject({ kind: 'latency', delayMs: 200, jitterMs: 20 });
    const helper = f!.sim.state.pod('shop', pod)!.spec.ephemeralContainers[0];
    expect(helper.securityContext).toEqual({ capabilities: { add: ['NET_ADMIN'] } });
    expect(helper.command[2]).toContain('tc qdisc replace dev $DEV root netem delay 200ms 20ms');
    expect(Number(held!.env.FAULTLINE_DEADLINE)).toBeGreaterThan(Date.now() / 1000);

    expect(await inj.revert(f!.ctx)).toEqual({});
    expect(f!.sim.state.impairment('shop', pod)).toBeUndefined();
    const helpers = f!.sim.state.pod('shop', pod)!.status.ephemeralContainerStatuses;
    expect(helpers).toHaveLength(2);
    expect(helpers.every((h: { state: Record<string, unknown> }) => 'terminated' in h.state)).toBe(true);
  });

  it('loss and bandwidth build their own tc/iptables commands', async () => {
    const [victim] = await webTargets();
    await faultOf('loss').inject(victim!, fc<'loss'>({ target: 'web', percent: 30, mode: 'drop' }, {}), f!.ctx);
    await faultOf('bandwidth').inject(victim!, fc<'bandwidth'>({ target: 'web', rate: 125_000, direction: 'both' }, {}), f!.ctx);
    const [loss, bw] = f!.sim.state.pod('shop', victim!.meta.pod as string)!.spec.ephemeralContainers;
    expect(loss.command[2]).toContain('netem loss 30%');
    expect(bw.command[2]).toContain('tbf rate 1000000bit');
    expect(bw.command[2]).toContain('mirred egress redirect dev faultline0');
  });

  it('a helper that never starts times out with a clean message, and its late start does nothing', async () => {
    f = await fixture({ ephemeralStartDelayMs: 'never' }, { helperStartTimeoutMs: 1000 });
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 1 });
    const [t] = await f.driver.candidates({ labels: { app: 'web' } }, 'web', f.ctx);
    const started = Date.now();
    const err = await faultOf('latency').inject(t!, fc<'latency'>({ target: 'web', delay: 100, jitter: 0, direction: 'from' }, {}), f.ctx).catch((e) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(err.message).toMatch(/helper container "faultline-impair-run12345-abcdef-[0-9a-f]+" in pod shop\/web-\S+ did not start within 1s \(waiting: ContainerCreating; image nicolaka\/netshoot:v0\.13\)\. Nothing was applied/);
    // The kubelet finally starts it, after faultline gave up: the START_BY guard makes it a no-op.
    await new Promise((r) => setTimeout(r, 1100));
    f.sim.state.startWaitingEphemeralContainers();
    const pod = t!.meta.pod as string;
    expect(f.sim.state.impairment('shop', pod)).toBeUndefined();
    expect(f.sim.state.pod('shop', pod)!.status.ephemeralContainerStatuses[0].state.terminated.message).toContain('nothing done');
    expect(f.sim.state.list('networkpolicies')).toHaveLength(0);
    expect(f.sim.requests.filter((r) => r.method !== 'GET' && r.verb !== 'watch')).toHaveLength(1);
  });

  it('a helper whose tc fails right after starting is an injection failure', async () => {
    const [victim] = await webTargets();
    f!.sim.state.helperFailure = { exitCode: 2, message: 'RTNETLINK answers: Operation not permitted' };
    const err = await faultOf('latency').inject(victim!, fc<'latency'>({ target: 'web', delay: 100, jitter: 0, direction: 'from' }, {}), f!.ctx).catch((e) => e);
    expect(err.message).toMatch(/the latency helper "faultline-impair-\S+" in pod shop\/\S+ exited 2 instead of holding the impairment: RTNETLINK answers: Operation not permitted/);
  });

  it('a Pod Security rejection is told apart from RBAC', async () => {
    const message = 'pods "x" is forbidden: violates PodSecurity "baseline:latest": non-default capabilities (container "faultline-impair" must not include "NET_ADMIN" in securityContext.capabilities.add)';
    const [victim] = await webTargets({ forbid: [{ verb: 'patch', resource: 'pods/ephemeralcontainers', message }] });
    const err = await faultOf('latency').inject(victim!, fc<'latency'>({ target: 'web', delay: 100, jitter: 0, direction: 'from' }, {}), f!.ctx).catch((e) => e);
    expect(err.message).toContain(`Kubernetes refused to patch pods/ephemeralcontainers "${victim!.meta.pod}" in namespace "shop" (403, context "sim"): ${message}`);
    expect(err.message).toContain('Pod Security level forbids it');
    expect(err.message).not.toContain('apiGroups');
  });

  it('a pod gone before the impairment is recorded as vanished and reverts as such', async () => {
    const [victim] = await webTargets();
    f!.sim.state.deletePod('shop', victim!.meta.pod as string, 0);
    const inj = await faultOf('latency').inject(victim!, fc<'latency'>({ target: 'web', delay: 100, jitter: 0, direction: 'from' }, {}), f!.ctx);
    expect(await inj.revert(f!.ctx)).toEqual({ vanished: true });
  });
});

describe('helpers without permission to watch', () => {
  it('a pod that cannot be watched fails with the RBAC message, not a misleading timeout', async () => {
    const [victim] = await webTargets();
    f!.sim.state.forbid({ verb: 'list', resource: 'pods', namespace: 'shop' });
    const err = await faultOf('container-kill').inject(victim!, fc<'container-kill'>({ target: 'web', container: 'app', signal: 'SIGKILL' }, {}), f!.ctx).catch((e) => e);
    expect(err.message).toContain('{apiGroups: [""], resources: ["pods"], verbs: ["list"]}');
  });
});
