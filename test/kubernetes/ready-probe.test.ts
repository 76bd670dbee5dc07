// k8s-ready follows a watch: state changes arrive pushed, lists happen only at (re)connection.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeSpec } from '../../src/domain/experiment.js';
import { readiness } from '../../src/drivers/kubernetes/ready-probe.js';
import { fixture, until, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

const spec = (kind: 'Deployment' | 'StatefulSet' | 'Pod', name: string, namespace?: string): ProbeSpec => ({ 'k8s-ready': { kind, name, ...(namespace ? { namespace } : {}) }, every: 20, timeout: 1000 });

describe('k8s-ready', () => {
  it('follows a Deployment through a pod deletion and its recovery, from one list and one watch', async () => {
    f = await fixture({ recreateDelayMs: 100, readyDelayMs: 100 });
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2 });
    const runner = f.driver.probe('ready', spec('Deployment', 'web'))!;
    expect((await runner.sample(f.ctx)).ok).toBe(true);
    f.sim.state.deletePod('shop', f.sim.state.pods('shop')[0]!.metadata.name, 0);
    let down: { ok: boolean; error?: string } | undefined;
    await until(async () => !(down = await runner.sample(f!.ctx)).ok);
    expect(down!.error).toBe('Deployment shop/web: 1/2 replicas ready');
    await until(async () => (await runner.sample(f!.ctx)).ok);
    expect(f.sim.requestsFor('list', 'deployments')).toHaveLength(1);
    expect(f.sim.requestsFor('watch', 'deployments')).toHaveLength(1);
    expect(f.sim.requestsFor('watch', 'deployments')[0]!.query).toMatchObject({ fieldSelector: 'metadata.name=web', watch: 'true' });
    await runner.close!();
  });

  it('a Pod: Ready, then not found once deleted; a StatefulSet in another namespace', async () => {
    f = await fixture();
    f.sim.state.addPod({ namespace: 'shop', name: 'solo' });
    f.sim.state.addStatefulSet({ namespace: 'db', name: 'pg', replicas: 1 });
    const pod = f.driver.probe('p', spec('Pod', 'solo'))!;
    const sts = f.driver.probe('s', spec('StatefulSet', 'pg', 'db'))!;
    expect((await pod.sample(f.ctx)).ok).toBe(true);
    expect((await sts.sample(f.ctx)).ok).toBe(true);
    f.sim.state.deletePod('shop', 'solo', 0);
    await until(async () => (await pod.sample(f!.ctx)).error === 'Pod shop/solo: not found');
    await f.driver.close(f.ctx);
  });

  it('resumes after the watch stream is dropped', async () => {
    f = await fixture();
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 1 });
    const runner = f.driver.probe('ready', spec('Deployment', 'web'))!;
    expect((await runner.sample(f.ctx)).ok).toBe(true);
    await until(() => f!.sim.requestsFor('watch', 'deployments').length === 1);
    f.sim.dropWatches();
    await until(() => f!.sim.requestsFor('watch', 'deployments').length === 2);
    f.sim.state.deletePod('shop', f.sim.state.pods('shop')[0]!.metadata.name, 0);
    await until(async () => !(await runner.sample(f!.ctx)).ok);
    await until(async () => (await runner.sample(f!.ctx)).ok);
    await runner.close!();
  });

  it('judges readiness from status, generation and conditions', () => {
    expect(readiness('Deployment', { metadata: { generation: 2 }, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 2 } })).toMatchObject({ ok: false });
    expect(readiness('Deployment', { metadata: { generation: 2 }, spec: { replicas: 0 }, status: { observedGeneration: 2 } })).toEqual({ ok: true });
    expect(readiness('Pod', { metadata: { deletionTimestamp: 'x' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } })).toEqual({ ok: false, why: 'terminating' });
    expect(readiness('Pod', undefined).ok).toBe(false);
  });
});
