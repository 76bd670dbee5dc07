// pod-failure against the simulator through the real client-node: the containers' images are
// switched to a pause image (the pod stays), the originals are kept on the pod and in the undo
// record, and every way back (revert, replay, rollback, reap) puts them back without clobbering
// an image someone else set.
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { Target } from '../../src/domain/model.js';
import { DEFAULT_PAUSE_IMAGE } from '../../src/domain/fault-kinds/pod-failure.js';
import type { FaultContext } from '../support/faults.js';
import { expiryOf, faultOf } from '../support/faults.js';
import { fixture, testContext, until, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

const ANNOTATION = 'faultline.io/pod-failure';
const fault = faultOf('pod-failure');

function fc(victim: Target, image?: string): FaultContext<'pod-failure'> {
  return { params: { target: 'web', ...(image ? { image } : {}) }, driver: f!.driver, groups: new Map([['web', [victim]]]) };
}

async function webVictim(): Promise<Target> {
  f = await fixture();
  f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2, containers: ['app', 'sidecar'] });
  const [victim] = await f.driver.candidates({ labels: { app: 'web' } }, 'web', f.ctx);
  return victim!;
}

const podOf = (t: Target) => f!.sim.state.pod('shop', t.meta.pod as string)!;
const images = (t: Target) => Object.fromEntries((podOf(t).spec.containers as { name: string; image: string }[]).map((c) => [c.name, c.image]));
const ready = (t: Target) => podOf(t).status.conditions.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
const ORIGINAL = { app: 'registry.example/app:1.0', sidecar: 'registry.example/sidecar:1.0' };

describe('pod-failure', () => {
  it('switches every container to the pause image in one JSON patch, keeps the pod, and puts the images back on revert', async () => {
    const victim = await webVictim();
    expect(fault.describe(victim, fc(victim))).toContain(`by ${DEFAULT_PAUSE_IMAGE}`);
    const inj = await fault.inject(victim, fc(victim), f!.ctx);

    expect(inj.undo).toEqual({ namespace: 'shop', pod: victim.meta.pod, uid: victim.meta.uid, runId: f!.ctx.runId, image: DEFAULT_PAUSE_IMAGE, images: ORIGINAL });
    const [p] = f!.sim.requestsFor('patch', 'pods', 'shop');
    expect(p!.contentType).toContain('application/json-patch+json');
    expect(p!.body).toEqual(expect.arrayContaining([{ op: 'test', path: '/metadata/uid', value: victim.meta.uid }, { op: 'test', path: '/spec/containers/0/image', value: ORIGINAL.app }]));
    expect(images(victim)).toEqual({ app: DEFAULT_PAUSE_IMAGE, sidecar: DEFAULT_PAUSE_IMAGE });
    const mark = JSON.parse(podOf(victim).metadata.annotations[ANNOTATION]);
    expect(mark).toMatchObject({ runId: f!.ctx.runId, image: DEFAULT_PAUSE_IMAGE, images: ORIGINAL });
    expect(Date.parse(mark.expiresAt)).toBeGreaterThan(Date.now());
    // The same pod (not deleted, not re-created), restarted on an image that serves nothing.
    expect(podOf(victim).metadata.uid).toBe(victim.meta.uid);
    expect(f!.sim.state.deletions).toEqual([]);
    await until(() => f!.sim.state.get('deployments', 'shop', 'web')!.status.readyReplicas === 1, 10_000);
    expect(ready(victim)).toBe(false);

    expect(await inj.revert(f!.ctx)).toEqual({});
    expect(images(victim)).toEqual(ORIGINAL);
    expect(podOf(victim).metadata.annotations?.[ANNOTATION]).toBeUndefined();
    await until(() => ready(victim) && f!.sim.state.get('deployments', 'shop', 'web')!.status.readyReplicas === 2, 10_000);

    // Replayed again (rollback after a revert the ledger did not record): nothing to do.
    expect(await fault.revert(victim, inj.undo, f!.driver, testContext('rollback'))).toEqual({ note: `pod ${victim.name} already runs its original images` });
    expect(f!.sim.requestsFor('patch', 'pods', 'shop')).toHaveLength(2);
  });

  it('uses the image the fault names', async () => {
    const victim = await webVictim();
    await fault.inject(victim, fc(victim, 'registry.k8s.io/pause:3.10'), f!.ctx);
    expect(images(victim)).toEqual({ app: 'registry.k8s.io/pause:3.10', sidecar: 'registry.k8s.io/pause:3.10' });
  });

  it('an image someone else changed during the fault is left as they set it, and the revert says so', async () => {
    const victim = await webVictim();
    const inj = await fault.inject(victim, fc(victim), f!.ctx);
    const core = f!.sim.kubeConfig().makeApiClient(CoreV1Api);
    await core.patchNamespacedPod(
      { name: victim.meta.pod as string, namespace: 'shop', body: { spec: { containers: [{ name: 'sidecar', image: 'registry.example/sidecar:2.0' }] } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const r = await inj.revert(f!.ctx);
    expect(r.note).toBe(`pod ${victim.name}: container "sidecar" now runs registry.example/sidecar:2.0, set by someone else during the fault (not registry.example/sidecar:1.0): left as it is`);
    expect(images(victim)).toEqual({ app: ORIGINAL.app, sidecar: 'registry.example/sidecar:2.0' });
    expect(podOf(victim).metadata.annotations?.[ANNOTATION]).toBeUndefined();
  });

  it('a pod gone before the fault is recorded as vanished; one deleted during it counts as reverted', async () => {
    const victim = await webVictim();
    f!.sim.state.deletePod('shop', victim.meta.pod as string, 0);
    const early = await fault.inject(victim, fc(victim), f!.ctx);
    expect(early.undo).toEqual({ vanished: true });
    expect(f!.ctx.lines.some((l) => l.startsWith('warn:') && l.includes(`pod ${victim.name} was deleted before the fault reached it`))).toBe(true);
    expect(await early.revert(f!.ctx)).toEqual({ vanished: true });

    const [other] = await f!.driver.candidates({ labels: { app: 'web' } }, 'web', f!.ctx);
    const inj = await fault.inject(other!, fc(other!), f!.ctx);
    f!.sim.state.deletePod('shop', other!.meta.pod as string, 0);
    expect(await inj.revert(f!.ctx)).toMatchObject({ vanished: true });
  });

  it('refuses a pod another pod-failure already holds, naming its run', async () => {
    const victim = await webVictim();
    await fault.inject(victim, fc(victim), testContext('first-run'));
    const err = await fault.inject(victim, fc(victim), f!.ctx).catch((e: Error) => e);
    expect((err as Error).message).toBe(`pod ${victim.name} already has its containers replaced by a pod-failure of run first-run (annotation ${ANNOTATION}); revert that first (faultline rollback)`);
  });

  it('a run that died holding it is found by its annotation: rollback and, after its expiry, reap put the images back', async () => {
    const victim = await webVictim();
    await fault.inject(victim, fc(victim), testContext('dead-run'));
    const found = await f!.driver.leftovers({ runId: 'dead-run' });
    expect(found.map((l) => [l.kind, l.name, l.runId])).toEqual([['PodFailure', victim.meta.pod, 'dead-run']]);
    expect(await f!.driver.leftovers({ runId: 'some-other-run' })).toEqual([]);
    expect(expiryOf(f!.driver, 'pod-failure', 60_000)).toContain('faultline reap');

    // Not expired yet: reap leaves it to its run.
    const early = await f!.driver.reap({ namespaces: ['shop'] }, testContext('reaper'));
    expect(early.pending.map((l) => l.kind)).toEqual(['PodFailure']);
    expect(images(victim)).toEqual({ app: DEFAULT_PAUSE_IMAGE, sidecar: DEFAULT_PAUSE_IMAGE });
    const later = { ...testContext('reaper'), clock: { ...f!.ctx.clock, now: () => Date.now() + 7_200_000 } };
    const r = await f!.driver.reap({ namespaces: ['shop'] }, later);
    expect(r.failed).toEqual([]);
    expect(r.removed.map((l) => l.kind)).toEqual(['PodFailure']);
    expect(images(victim)).toEqual(ORIGINAL);

    await fault.inject(victim, fc(victim), testContext('dead-run-2'));
    expect(await f!.driver.sweep('dead-run-2', testContext('rollback'))).toEqual([`pod-failure of pod shop/${victim.meta.pod} (pause images; the originals are in its ${ANNOTATION} annotation)`]);
    expect(images(victim)).toEqual(ORIGINAL);
    expect(await f!.driver.leftovers({})).toEqual([]);
  });
});
