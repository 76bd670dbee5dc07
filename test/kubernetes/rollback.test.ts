// Leftovers of a run that never reverted (faultline killed mid-run) are found by their labels
// and removed by rollback.
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonValue, Target } from '../../src/domain/model.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { expiryOf, faultOf } from '../support/faults.js';
import { experiment, fixture, testContext, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

describe('leftovers and rollback', () => {
  it('finds the partition policy and the running impairment of a run, and removes them', async () => {
    f = await fixture();
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 1 });
    f.sim.state.addDeployment({ namespace: 'shop', name: 'db', replicas: 1 });
    const web = await f.driver.candidates({ labels: { app: 'web' } }, 'web', f.ctx);
    const db = await f.driver.candidates({ labels: { app: 'db' } }, 'db', f.ctx);
    const groups = new Map([['web', web], ['db', db]]);
    await faultOf('partition').inject(web[0]!, { params: { from: 'web', to: 'db', direction: 'both' }, driver: f.driver, groups }, f.ctx);
    await faultOf('latency').inject(db[0]!, { params: { target: 'db', delay: 100, jitter: 0, direction: 'from' }, driver: f.driver, groups }, f.ctx);

    const found = await f.driver.leftovers({ runId: f.ctx.runId });
    expect(found.map((l) => [l.kind, l.namespace, l.runId])).toEqual([
      ['NetworkPolicy', 'shop', f.ctx.runId],
      ['Impairment', 'shop', f.ctx.runId],
    ]);
    expect(found.every((l) => l.expiresAt !== null && Date.parse(l.expiresAt) > Date.now())).toBe(true);
    expect(await f.driver.leftovers({ runId: 'some-other-run' })).toEqual([]);

    const result = await f.driver.rollback({ runId: f.ctx.runId, namespaces: ['shop'] }, testContext('rollback'));
    expect(result.failed).toEqual([]);
    expect(result.removed).toHaveLength(2);
    expect(f.sim.state.list('networkpolicies')).toEqual([]);
    expect(f.sim.state.pods('shop').every((p) => !Object.keys(p.metadata.labels).some((k) => k.startsWith('faultline.io/')))).toBe(true);
    expect(f.sim.state.impairment('shop', db[0]!.meta.pod as string)).toBeUndefined();
    expect(await f.driver.leftovers({})).toEqual([]);
  });

  it('a fresh driver (as rollback builds it from a ledger) restores each fault from its undo record alone', async () => {
    f = await fixture();
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2 });
    f.sim.state.addDeployment({ namespace: 'shop', name: 'db', replicas: 1 });
    f.sim.state.addDeployment({ namespace: 'shop', name: 'cache', replicas: 2 });
    const web = await f.driver.candidates({ labels: { app: 'web' } }, 'web', f.ctx);
    const db = await f.driver.candidates({ labels: { app: 'db' } }, 'db', f.ctx);
    const groups = new Map([['web', web], ['db', db]]);
    const fc = (params: unknown) => ({ params: params as never, driver: f!.driver, groups });
    const left: { kind: 'partition' | 'latency' | 'scale'; target: Target; undo: JsonValue }[] = [];
    const keep = async (kind: 'partition' | 'latency' | 'scale', t: Target, params: unknown) => {
      const inj = await faultOf(kind).inject(t, fc(params), f!.ctx);
      // Through JSON, as the ledger keeps them.
      left.push(JSON.parse(JSON.stringify({ kind, target: inj.target, undo: inj.undo })));
    };
    await keep('partition', web[0]!, { from: 'web', to: 'db', direction: 'both' });
    await keep('latency', db[0]!, { target: 'db', delay: 100, jitter: 0, direction: 'from' });
    await keep('scale', f.driver.workloads.target({ kind: 'Deployment', name: 'cache' }), { workload: { kind: 'Deployment', name: 'cache' }, replicas: 1 });

    const fresh = new KubernetesDriver({ kubeConfig: f.sim.kubeConfig({ namespace: 'shop' }), helperStartTimeoutMs: 2000 });
    const ctx = testContext('rollback-run');
    for (const l of left) expect(await faultOf(l.kind).revert(l.target, l.undo, fresh, ctx)).toEqual({});
    expect(f.sim.state.list('networkpolicies')).toEqual([]);
    expect(f.sim.state.impairment('shop', db[0]!.meta.pod as string)).toBeUndefined();
    expect(f.sim.state.get('deployments', 'shop', 'cache')!.spec.replicas).toBe(2);
    expect(await fresh.sweep(f.ctx.runId, ctx)).toEqual([]);
    // Idempotent: a second restore finds nothing to do and still succeeds.
    for (const l of left) await faultOf(l.kind).revert(l.target, l.undo, fresh, ctx);
  });

  it('sweep removes what a run left, and falls back to the context namespace without cluster-wide rights', async () => {
    f = await fixture();
    f.sim.state.addPod({ namespace: 'shop', name: 'a', labels: { app: 'a' } });
    f.sim.state.addPod({ namespace: 'shop', name: 'b', labels: { app: 'b' } });
    const [a] = await f.driver.candidates({ names: ['a'] }, 'a', f.ctx);
    const [b] = await f.driver.candidates({ names: ['b'] }, 'b', f.ctx);
    await faultOf('partition').inject(a!, { params: { from: 'a', to: 'b', direction: 'both' }, driver: f.driver, groups: new Map([['a', [a!]], ['b', [b!]]]) }, f.ctx);
    f.sim.state.forbid({ verb: 'list', resource: '*', scope: 'cluster' });
    const fresh = new KubernetesDriver({ kubeConfig: f.sim.kubeConfig({ namespace: 'shop' }) });
    const lines = await fresh.sweep(f.ctx.runId, testContext('sweeper'));
    expect(lines).toEqual([expect.stringMatching(/^NetworkPolicy shop\/faultline-partition-run12345-[\w-]+ \(and its pod labels\)$/)]);
    expect(f.sim.requests.some((r) => r.path === '/apis/networking.k8s.io/v1/networkpolicies' && r.status === 403)).toBe(true);
    expect(f.sim.state.list('networkpolicies')).toEqual([]);
    expect(f.sim.state.pods('shop').every((p) => !Object.keys(p.metadata.labels).some((k) => k.startsWith('faultline.io/')))).toBe(true);
  });

  it('plan says how each kind expires if faultline dies', async () => {
    f = await fixture();
    f.driver.configure(experiment());
    expect(expiryOf(f.driver, 'latency', 10_000)).toContain('lifts it by itself');
    expect(expiryOf(f.driver, 'partition', 10_000)).toContain('faultline rollback');
    expect(expiryOf(f.driver, 'scale', 10_000)).toContain('original count is in the ledger');
  });
});
