// deploy/kubernetes/reaper.yaml is exactly what `faultline reap` needs cluster-wide, and the
// per-namespace role.yaml covers the reaping every run does first: the simulator enforces only
// those rules. The reap CronJob runs `reap` with the reaper's ServiceAccount every 5 minutes.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { reapExpiredBeforeRun } from '../../src/cli/reap-expired.js';
import type { Target } from '../../src/domain/model.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { partitionPod } from '../../src/drivers/kubernetes/partition.js';
import { failPod } from '../../src/drivers/kubernetes/pod-failure.js';
import { faultOf } from '../support/faults.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import type { RbacRule } from '../k8s-sim/simulator.js';
import { experiment, fixture, testContext, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

type Doc = { kind: string; metadata: { name: string; namespace?: string }; rules?: RbacRule[]; subjects?: { name: string }[]; roleRef?: { name: string }; spec?: any };
const docs = (file: string): Doc[] => parseAllDocuments(readFileSync(`deploy/kubernetes/${file}`, 'utf8')).map((d) => d.toJS() as Doc);
const grants = (rules: RbacRule[]) => rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}|${res}|${v}`))));

function reaperRole(): Doc {
  const reaper = docs('reaper.yaml');
  const role = reaper.find((d) => d.kind === 'ClusterRole')!;
  expect(reaper.find((d) => d.kind === 'ClusterRoleBinding')).toMatchObject({ roleRef: { name: role.metadata.name }, subjects: [{ name: 'faultline-reaper' }] });
  return role;
}

const reaper = () => new KubernetesDriver({ kubeConfig: f!.sim.kubeConfig({ namespace: 'faultline' }), helperStartTimeoutMs: 2000 });

async function pod(name: string, ns = 'shop'): Promise<Target> {
  f!.sim.state.addPod({ namespace: ns, name, labels: { app: name } });
  return (await f!.driver.candidates({ names: [name], namespaces: [ns] }, name, f!.ctx))[0]!;
}

describe('deploy/kubernetes reaper', () => {
  it("reaper.yaml's ClusterRole reaps expired partitions in every namespace, and grants nothing unused", async () => {
    const role = reaperRole();
    f = await fixture();
    await partitionPod(f.driver.api, await pod('a'), [await pod('x', 'other')], 'both', Date.now() - 1000, testContext('dead-run'));
    await failPod(f.driver.api, await pod('b'), 'registry.k8s.io/pause:3.10', Date.now() - 1000, testContext('dead-run'));
    f.sim.state.rbac = role.rules!;
    const before = f.sim.requests.length;
    const r = await reaper().reap({}, testContext('reaper'));
    expect(r.note).toBeUndefined();
    expect(r.failed).toEqual([]);
    expect(r.removed.map((l) => l.kind).sort()).toEqual(['NetworkPolicy', 'PodFailure']);
    expect(f.sim.state.pod('shop', 'b')!.spec.containers[0].image).toBe('registry.example/main:1.0');
    expect(f.sim.state.list('networkpolicies')).toEqual([]);
    expect(f.sim.state.pods().filter((p) => Object.keys(p.metadata.labels).some((k) => k.startsWith('faultline.io/')))).toEqual([]);

    const requests = f.sim.requests.slice(before);
    expect(requests.filter((q) => q.status === 403).map((q) => `${q.verb} ${q.resource} ${q.namespace ?? '(cluster)'}`)).toEqual([]);
    const used = new Set(requests.filter((q) => q.verb).map((q) => `${q.group ?? ''}|${q.resource}|${q.verb}`));
    expect(grants(role.rules!).filter((g) => !used.has(g))).toEqual([]);
  });

  it('a stuck impairment needs the optional rules: without them it is reported with the rule to add, with them it is removed', async () => {
    const role = reaperRole();
    f = await fixture();
    const db = await pod('db');
    await faultOf('latency').inject(db, { params: { target: 'db', delay: 100, jitter: 0, direction: 'from' }, driver: f.driver, groups: new Map([['db', [db]]]) }, testContext('dead-run'));
    // Hours later: the helper is past its deadline and still running.
    const later = { ...testContext('reaper'), clock: { now: () => Date.now() + 7_200_000, sleep: systemClock.sleep.bind(systemClock) } };

    f.sim.state.rbac = role.rules!;
    const denied = await reaper().reap({}, later);
    expect(denied.failed.map((x) => x.leftover.kind)).toEqual(['Impairment']);
    expect(denied.failed[0]!.error).toContain('403 Forbidden');
    expect(f.sim.state.impairment('shop', 'db')).toBeDefined();

    const optional = parse(
      readFileSync('deploy/kubernetes/reaper.yaml', 'utf8')
        .split('\n')
        .filter((l) => /^  # [- ] /.test(l) && /apiGroups|resources|verbs/.test(l))
        .map((l) => l.replace(/^  # /, ''))
        .join('\n'),
    ) as RbacRule[];
    expect(grants(optional)).toEqual(['|pods|get', '|pods|watch', '|pods/ephemeralcontainers|patch']);
    f.sim.state.rbac = [...role.rules!, ...optional];
    const r = await reaper().reap({}, later);
    expect(r.failed).toEqual([]);
    expect(r.removed.map((l) => l.kind)).toEqual(['Impairment']);
    expect(f.sim.state.impairment('shop', 'db')).toBeUndefined();
  });

  it("role.yaml (one namespace) is enough for the reaping a run does first", async () => {
    const rules = docs('role.yaml').find((d) => d.kind === 'Role' && d.metadata.name === 'faultline')!.rules!;
    f = await fixture();
    await partitionPod(f.driver.api, await pod('a'), [await pod('b')], 'both', Date.now() - 1000, testContext('dead-run'));
    f.sim.state.rbac = rules;
    const log = testContext('run');
    await reapExpiredBeforeRun(new KubernetesDriver({ kubeConfig: f.sim.kubeConfig({ namespace: 'shop' }) }), experiment(), log.log);
    expect(log.lines).toEqual([expect.stringMatching(/^info: reaped NetworkPolicy shop\//)]);
    expect(f.sim.state.list('networkpolicies')).toEqual([]);
    expect(f.sim.requests.filter((q) => q.status === 403)).toEqual([]);
  });

  it('the reap CronJob runs `faultline reap` every 5 minutes as faultline-reaper, and kustomize applies it', () => {
    const [job] = docs('reap-cronjob.yaml');
    expect(job!.kind).toBe('CronJob');
    expect(job!.spec.schedule).toBe('*/5 * * * *');
    expect(job!.spec.concurrencyPolicy).toBe('Forbid');
    const pod = job!.spec.jobTemplate.spec.template;
    expect(pod.metadata.labels['app.kubernetes.io/name']).toBe('faultline');
    expect(pod.spec.serviceAccountName).toBe('faultline-reaper');
    expect(pod.spec.containers[0].args).toEqual(['reap']);
    // Shorter than the period, so reaps never pile up.
    expect(job!.spec.jobTemplate.spec.activeDeadlineSeconds).toBeLessThan(300);
    const kustomization = parse(readFileSync('deploy/kubernetes/kustomization.yaml', 'utf8')) as { resources: string[] };
    expect(kustomization.resources).toEqual(expect.arrayContaining(['reaper.yaml', 'reap-cronjob.yaml']));
  });
});
