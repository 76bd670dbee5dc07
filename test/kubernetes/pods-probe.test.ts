// k8s-ready over the pods a label selector selects (Chaos Toolkit's pods_in_phase, and Ready with a
// count): followed from one list and one watch of the simulator through the real client-node.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeSpec } from '../../src/domain/experiment.js';
import { podsVerdict } from '../../src/drivers/kubernetes/pods-probe.js';
import { runCli } from '../support/cli.js';
import { faultOf } from '../support/faults.js';
import { fixture, until, type Fixture } from './helpers.js';

let f: Fixture | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const spec = (p: { phase?: 'Running' | 'Pending'; count?: number; labels?: Record<string, string> } = {}): ProbeSpec => ({ 'k8s-ready': { kind: 'Pod', labels: p.labels ?? { app: 'web' }, ...p }, every: 20, timeout: 1000 });

describe('k8s-ready over the pods labels select', () => {
  it('with a phase and a count: fails while a pod is missing or Pending, passes once every one is Running, from one list and one watch', async () => {
    // Windows long enough for a busy machine to sample each state: missing for 0.5s, Pending for 1s.
    f = await fixture({ recreateDelayMs: 500, readyDelayMs: 1000 });
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2 });
    f.sim.state.addDeployment({ namespace: 'shop', name: 'db', replicas: 1 });
    const runner = f.driver.probe('pods', spec({ phase: 'Running', count: 2 }))!;
    expect(await runner.sample(f.ctx)).toMatchObject({ ok: true });
    f.sim.state.deletePod('shop', f.sim.state.pods('shop').find((p) => p.metadata.labels.app === 'web')!.metadata.name, 0);
    const errors = new Set<string>();
    await until(async () => {
      const s = await runner.sample(f!.ctx);
      if (s.error) errors.add(s.error.replace(/web-[a-z0-9-]+/, 'web-…'));
      return errors.has('pods app=web in shop: 1/2 pods Running: web-… is Pending');
    }, 10_000);
    expect(errors.has('pods app=web in shop: 1 pod(s) selected, 2 expected')).toBe(true);
    await until(async () => (await runner.sample(f!.ctx)).ok, 10_000);
    expect(f.sim.requestsFor('list', 'pods', 'shop')).toHaveLength(1);
    expect(f.sim.requestsFor('watch', 'pods', 'shop')).toHaveLength(1);
    expect(f.sim.requestsFor('watch', 'pods', 'shop')[0]!.query).toMatchObject({ labelSelector: 'app=web', watch: 'true' });
    await f.driver.close(f.ctx);
  });

  it('without a phase every pod must be Ready: a pod-failure (pod still Running) fails it until reverted', async () => {
    f = await fixture();
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2 });
    const runner = f.driver.probe('pods', spec())!;
    const phase = f.driver.probe('phase', spec({ phase: 'Running' }))!;
    expect(await runner.sample(f.ctx)).toMatchObject({ ok: true });
    const [victim] = await f.driver.candidates({ labels: { app: 'web' } }, 'web', f.ctx);
    const inj = await faultOf('pod-failure').inject(victim!, { params: { target: 'web' }, driver: f.driver, groups: new Map([['web', [victim!]]]) }, f.ctx);
    await until(async () => (await runner.sample(f!.ctx)).error === `pods app=web in shop: 1/2 pods Ready: ${victim!.meta.pod} is not Ready (phase Running)`, 10_000);
    // Its phase is still Running, which is all pods_in_phase looks at.
    expect(await phase.sample(f.ctx)).toMatchObject({ ok: true });
    await inj.revert(f.ctx);
    await until(async () => (await runner.sample(f!.ctx)).ok, 10_000);
    await f.driver.close(f.ctx);
  });

  it('no pod selected fails (as pods_in_phase does), and the judgement is pure', async () => {
    f = await fixture();
    const runner = f.driver.probe('pods', spec({ labels: { app: 'nothing' } }))!;
    expect(await runner.sample(f.ctx)).toMatchObject({ ok: false, error: 'pods app=nothing in shop: no pod selected' });
    await f.driver.close(f.ctx);
    expect(podsVerdict({ count: 0 }, [])).toEqual({ ok: true });
    const terminating = { metadata: { name: 'a', deletionTimestamp: new Date() }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(podsVerdict({}, [terminating])).toEqual({ ok: false, why: '0/1 pods Ready: a is terminating' });
    expect(podsVerdict({ phase: 'Running' }, [terminating])).toEqual({ ok: true });
  });

  it('validate accepts it and locates each misuse', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-pods-probe-'));
    dirs.push(dir);
    const file = (name: string, probe: string) => {
      const p = path.join(dir, name);
      writeFileSync(p, ['apiVersion: faultline/v1', 'kind: Experiment', 'metadata: { name: p }', 'spec:', '  driver: kubernetes', '  targets:', '    web: { selector: { labels: { app: web } } }', '  probes:', `    pods: { k8s-ready: ${probe} }`, '  steadyState: [pods]', '  faults: [ { pod-kill: { target: web } } ]', '  objectives: [ { recovery: { probe: pods, within: 30s } } ]', ''].join('\n'));
      return p;
    };
    const ok = await runCli(['validate', file('ok.yaml', '{ kind: Pod, labels: { app: web }, phase: Running, count: 2, namespace: shop }')]);
    expect(ok.code, ok.stderr).toBe(0);
    const both = file('both.yaml', '{ kind: Pod, name: web-0, labels: { app: web } }');
    const deployment = file('deployment.yaml', '{ kind: Deployment, labels: { app: web } }');
    const phase = file('phase.yaml', '{ kind: Pod, name: web-0, phase: Running }');
    const r = await runCli(['validate', both, deployment, phase]);
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toContain(`${both}:9:58: spec.probes.pods.k8s-ready.labels: give exactly one of name (one object) and labels (kind Pod: the pods they select)`);
    expect(out).toContain(`${deployment}:9:52: spec.probes.pods.k8s-ready.labels: labels select pods: use kind Pod (a Deployment is named)`);
    expect(out).toContain(`${phase}:9:57: spec.probes.pods.k8s-ready.phase: phase applies to the pods labels select: add labels, or remove phase (found "Running")`);
  });
});
