// Leftovers of a run that never reverted (faultline killed mid-run) are found by their labels
// and removed by rollback.
import { afterEach, describe, expect, it } from 'vitest';
import { faultOf } from '../../src/faults/registry.js';
import { fixture, testContext, type Fixture } from './helpers.js';

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
});
