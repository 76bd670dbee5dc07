// Selection rules, each against the simulator through the real client.
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import type { SelectorSpec } from '../../src/domain/experiment.js';
import { selectTargets } from '../../src/targets/select.js';
import { experiment, fixture, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

async function seeded(spec: Parameters<typeof fixture>[2] = {}): Promise<Fixture> {
  f = await fixture({}, {}, spec);
  const s = f.sim.state;
  s.addDeployment({ namespace: 'shop', name: 'web', replicas: 3, labels: { app: 'web' }, podLabels: { tier: 'front', 'chaos.io/opt-in': 'true' }, nodes: ['node-a', 'node-b'] });
  s.addStatefulSet({ namespace: 'shop', name: 'db', replicas: 2, labels: { app: 'db' }, podLabels: { tier: 'back' } });
  s.addDaemonSet({ namespace: 'shop', name: 'agent', labels: { app: 'agent' }, nodes: ['node-a', 'node-b'] });
  s.addDeployment({ namespace: 'other', name: 'web', replicas: 1, labels: { app: 'web' } });
  s.addDeployment({ namespace: 'kube-system', name: 'coredns', replicas: 2, labels: { app: 'web' } });
  s.addPod({ namespace: 'shop', name: 'bare', labels: { app: 'web', tier: 'front' }, annotations: { 'chaos.io/opt-in': 'true' } });
  s.addPod({ namespace: 'shop', name: 'faultline-runner', labels: { app: 'web', 'app.kubernetes.io/name': 'faultline' } });
  return f;
}

const ids = async (sel: SelectorSpec) => (await f!.driver.candidates(sel, 'g', f!.ctx)).map((t) => t.id);

describe('candidates', () => {
  it('searches the context namespace by default, never all namespaces, and skips faultline itself', async () => {
    await seeded();
    const got = await ids({ labels: { app: 'web' } });
    expect(got).toHaveLength(4);
    expect(got.every((id) => id.startsWith('shop/'))).toBe(true);
    expect(got).not.toContain('shop/faultline-runner');
    const lists = f!.sim.requestsFor('list', 'pods');
    expect(lists.every((r) => r.namespace === 'shop')).toBe(true);
    expect(lists[0]!.query).toMatchObject({ labelSelector: 'app=web' });
  });

  it('searches a list of namespaces, or all of them only when told, leaving system namespaces out', async () => {
    await seeded();
    expect(await ids({ namespaces: ['shop', 'other'], labels: { app: 'web', tier: 'front' } })).toEqual(['shop/bare', ...(await ids({ labels: { app: 'web', tier: 'front' } })).filter((i) => i !== 'shop/bare')].sort());
    const all = await ids({ allNamespaces: true, labels: { app: 'web' } });
    expect(all.filter((i) => i.startsWith('other/'))).toHaveLength(1);
    expect(all.some((i) => i.startsWith('kube-system/'))).toBe(false);
    expect(f!.ctx.lines.some((l) => l.includes('system namespace'))).toBe(true);
    expect(f!.sim.requestsFor('list', 'pods').some((r) => r.path === '/api/v1/pods')).toBe(true);
  });

  it('refuses kube-system unless safety.allowSystemNamespaces is set', async () => {
    await seeded();
    const err = await f!.driver.candidates({ namespaces: ['kube-system'], labels: { app: 'web' } }, 'dns', f!.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/namespace "kube-system" is a system namespace.*allowSystemNamespaces: true/);
    f!.driver.configure(experiment({ safety: { allowSystemNamespaces: true } }));
    expect(await ids({ namespaces: ['kube-system'], labels: { app: 'web' } })).toHaveLength(2);
  });

  it('refuses hostNetwork pods unless allowed, and says so when nothing else is left', async () => {
    await seeded();
    f!.sim.state.setHostNetwork('shop', 'bare');
    expect(await ids({ labels: { app: 'web' } })).not.toContain('shop/bare');
    const err = await f!.driver.candidates({ names: ['bare'] }, 'g', f!.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain('shop/bare (hostNetwork)');
    f!.driver.configure(experiment({ safety: { allowSystemNamespaces: true } }));
    expect(await ids({ names: ['bare'] })).toEqual(['shop/bare']);
  });

  it('applies set-based expressions', async () => {
    await seeded();
    expect(await ids({ expressions: [{ key: 'tier', operator: 'In', values: ['back'] }] })).toEqual(['shop/db-0', 'shop/db-1']);
    expect(await ids({ labels: { app: 'web' }, expressions: [{ key: 'pod-template-hash', operator: 'DoesNotExist' }, { key: 'tier', operator: 'Exists' }] })).toHaveLength(4);
    expect(await ids({ expressions: [{ key: 'app', operator: 'NotIn', values: ['web', 'db'] }] })).toHaveLength(2);
    expect(f!.sim.requests.at(-1)!.query.labelSelector).toBe('app notin (web,db)');
    const err = await f!.driver.candidates({ expressions: [{ key: 'app', operator: 'In' }] }, 'g', f!.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
  });

  it('applies field selectors and the node criterion', async () => {
    await seeded();
    const onA = await ids({ node: 'node-a' });
    expect(onA.length).toBeGreaterThan(0);
    expect(f!.sim.requests.at(-1)!.query.fieldSelector).toBe('spec.nodeName=node-a');
    expect(onA.every((id) => f!.sim.state.pod('shop', id.split('/')[1]!)!.spec.nodeName === 'node-a')).toBe(true);
    expect(await ids({ fields: { 'metadata.name': 'db-1' } })).toEqual(['shop/db-1']);
  });

  it('selects by owner: Deployment (through its ReplicaSet), StatefulSet and DaemonSet', async () => {
    await seeded();
    const web = await ids({ owner: { kind: 'Deployment', name: 'web' } });
    expect(web).toHaveLength(3);
    expect(web).not.toContain('shop/bare');
    expect(await ids({ owner: { kind: 'StatefulSet', name: 'db' } })).toEqual(['shop/db-0', 'shop/db-1']);
    expect(await ids({ owner: { kind: 'DaemonSet', name: 'agent' } })).toHaveLength(2);
    const err = await f!.driver.candidates({ owner: { kind: 'Deployment', name: 'nope' } }, 'g', f!.ctx).catch((e) => e);
    expect(err.message).toContain('Deployment "nope" not found in namespace(s) shop');
  });

  it('honours safety.requireOptIn as a label or an annotation', async () => {
    await seeded({ safety: { requireOptIn: 'chaos.io/opt-in=true' } });
    const got = await ids({ labels: { app: 'web' } });
    expect(got).toHaveLength(4);
    f!.sim.state.addPod({ namespace: 'shop', name: 'shy', labels: { app: 'web' } });
    expect(await ids({ labels: { app: 'web' } })).not.toContain('shop/shy');
    const err = await f!.driver.candidates({ names: ['shy'] }, 'g', f!.ctx).catch((e) => e);
    expect(err.message).toContain('no chaos.io/opt-in=true label or annotation');
  });

  it('matches several names client-side and records facts about each pod', async () => {
    await seeded();
    const targets = await f!.driver.candidates({ names: ['db-0', 'bare', 'missing'] }, 'g', f!.ctx);
    expect(targets.map((t) => t.id)).toEqual(['shop/bare', 'shop/db-0']);
    expect(targets[1]!.meta).toMatchObject({ namespace: 'shop', pod: 'db-0', owner: 'StatefulSet/db', containers: ['main'], defaultContainer: 'main', hostNetwork: false });
    expect(targets[1]!.meta.uid).toBe(f!.sim.state.pod('shop', 'db-0')!.metadata.uid);
  });

  it('a selector matching nothing stops the run before anything is touched', async () => {
    await seeded();
    const exp = experiment({ targets: { web: { selector: { labels: { app: 'nothing-has-this' } } } } });
    const err = await selectTargets(exp, f!.driver, f!.ctx, 'seed').catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain('matched nothing');
    expect(f!.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a partition whose two groups select the same pod is refused before anything is touched', async () => {
    await seeded();
    const targets = { web: { selector: { labels: { app: 'web' } } }, front: { selector: { labels: { tier: 'front' } } }, db: { selector: { labels: { app: 'db' } } } };
    const disjoint = { partition: { from: 'web', to: 'db' }, for: '5s' };
    const exp = experiment({ targets, faults: [disjoint, { name: 'cut', partition: { from: 'front', to: 'web' }, for: '5s' }] });
    const err = await selectTargets(exp, f!.driver, f!.ctx, 'seed').catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/^fault "cut": shop\/(web-\S+|bare)(, shop\/(web-\S+|bare))* were selected in both "front" and "web", so they would be partitioned from themselves; narrow the selectors/);
    expect(f!.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    // Disjoint groups select as before.
    const ok = experiment({ targets, faults: [disjoint] });
    expect((await selectTargets(ok, f!.driver, f!.ctx, 'seed')).groups.get('db')).toHaveLength(2);
  });

  it('keeps candidates for which an http where-probe passes, with {podName} filled in', async () => {
    await seeded();
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/role/db-1' ? 200 : 503;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const exp = experiment({
        targets: { web: { selector: { owner: { kind: 'StatefulSet', name: 'db' } }, where: { http: { url: `http://127.0.0.1:${port}/role/{podName}` } } } },
      });
      const sel = await selectTargets(exp, f!.driver, f!.ctx, 'seed');
      expect(sel.groups.get('web')!.map((t) => t.id)).toEqual(['shop/db-1']);
    } finally {
      server.close();
    }
  });
});

describe('where (exec)', () => {
  it('keeps the candidate whose command answers as asked (finding the primary)', async () => {
    await seeded();
    f!.sim.state.execHandler = (req) => ({ stdout: req.pod === 'db-0' ? 'role: primary\n' : 'role: replica\n', exitCode: 0 });
    const exp = experiment({
      targets: { db: { selector: { owner: { kind: 'StatefulSet', name: 'db' } }, where: { exec: { command: ['sh', '-c', 'cat /run/role'], stdout: 'primary' } } } },
    });
    const sel = await selectTargets(exp, f!.driver, f!.ctx, 'seed');
    expect(sel.groups.get('db')!.map((t) => t.id)).toEqual(['shop/db-0']);
    expect(f!.sim.requestsFor('create', 'pods/exec', 'shop').map((r) => r.query.container)).toEqual(['main', 'main']);
  });

  it("exec goes to the pod's default container when it names one", async () => {
    await seeded();
    f!.sim.state.addPod({ namespace: 'shop', name: 'multi', containers: ['istio-proxy', 'app'], annotations: { 'kubectl.kubernetes.io/default-container': 'app' } });
    f!.sim.state.execHandler = (req) => ({ exitCode: req.container === 'app' ? 0 : 1 });
    const [multi] = await f!.driver.candidates({ names: ['multi'] }, 'm', f!.ctx);
    expect((await f!.driver.where({ exec: { command: ['true'], exitCode: 0 }, timeout: 1000 }, multi!, f!.ctx)).ok).toBe(true);
  });

  it('a refused exec is a failed condition with the RBAC rule, not a crash', async () => {
    await seeded();
    f!.sim.state.forbid({ verb: 'create', resource: 'pods/exec' });
    const [db0] = await f!.driver.candidates({ names: ['db-0'] }, 'db', f!.ctx);
    const r = await f!.driver.where({ exec: { command: ['true'], exitCode: 0 }, timeout: 1000 }, db0!, f!.ctx);
    expect(r.ok).toBe(false);
    expect(r.error).toContain('{apiGroups: [""], resources: ["pods/exec"], verbs: ["create"]}');
  });

  it('an exec probe with a target runs inside that target\'s pod', async () => {
    await seeded();
    f!.sim.state.execHandler = (req) => ({ exitCode: req.command[0] === 'healthy' ? 0 : 1 });
    const [db1] = await f!.driver.candidates({ names: ['db-1'] }, 'db', f!.ctx);
    const runner = f!.driver.probe('p', { exec: { command: ['healthy'], exitCode: 0, target: 'db' }, every: 100, timeout: 1000 }, new Map([['db', [db1!]]]))!;
    expect((await runner.sample(f!.ctx)).ok).toBe(true);
    expect(f!.sim.requestsFor('create', 'pods/exec').at(-1)!.name).toBe('db-1');
  });
});

describe('where (http through the API server pod proxy)', () => {
  it('reaches each candidate as http://pod:<port>/..., from outside the cluster', async () => {
    await seeded();
    f!.sim.state.proxyHandler = (req) => ({ status: 200, body: req.pod === 'db-1' && req.port === 8080 && req.path === '/role' && req.query === '?v=1' ? 'primary' : 'replica' });
    const exp = experiment({
      targets: { db: { selector: { owner: { kind: 'StatefulSet', name: 'db' } }, where: { http: { url: 'http://pod:8080/role?v=1', expect: { body: '^primary$' } } } } },
    });
    const sel = await selectTargets(exp, f!.driver, f!.ctx, 'seed');
    expect(sel.groups.get('db')!.map((t) => t.id)).toEqual(['shop/db-1']);
    expect(f!.sim.requestsFor('get', 'pods/proxy', 'shop').map((r) => r.path)).toEqual(['/api/v1/namespaces/shop/pods/db-0:8080/proxy/role', '/api/v1/namespaces/shop/pods/db-1:8080/proxy/role']);
  });

  it('a pod that does not answer, and a refused proxy, are failed conditions that say why', async () => {
    await seeded();
    const [db0] = await f!.driver.candidates({ names: ['db-0'] }, 'db', f!.ctx);
    const where = { http: { url: 'http://pod:9000/health', method: 'GET' as const, expect: {} }, timeout: 1000 };
    const down = await f!.driver.where(where, db0!, f!.ctx);
    expect(down).toMatchObject({ ok: false, error: 'HTTP 503: error trying to reach service: dial tcp 10.244.0.1:9000: connect: connection refused' });
    f!.sim.state.forbid({ verb: 'get', resource: 'pods/proxy' });
    const refused = await f!.driver.where(where, db0!, f!.ctx);
    expect(refused.error).toContain('{apiGroups: [""], resources: ["pods/proxy"], verbs: ["get"]}');
  });
});
