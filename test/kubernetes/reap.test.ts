// Expiry-based reaping against the simulator: what faultline left whose faultline.io/expires-at has
// passed is removed whatever run made it; what has not expired yet is left to its run.
import { NetworkingV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/domain/context.js';
import type { Target } from '../../src/domain/model.js';
import { reapExpiredBeforeRun } from '../../src/cli/reap-expired.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { EXPIRES_AT, MANAGED_BY, RUN_ID } from '../../src/drivers/kubernetes/labels.js';
import { partitionPod } from '../../src/drivers/kubernetes/partition.js';
import { byExpiry } from '../../src/drivers/kubernetes/reap.js';
import { faultOf } from '../support/faults.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { experiment, fixture, testContext, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

const HOUR = 3_600_000;

async function pods(names: string[], ns = 'shop'): Promise<Target[]> {
  for (const name of names) f!.sim.state.addPod({ namespace: ns, name, labels: { app: name } });
  return Promise.all(names.map(async (name) => (await f!.driver.candidates({ names: [name], namespaces: [ns] }, name, f!.ctx))[0]!));
}

/** A partition as a run `runId` elsewhere would have left it, expiring at `expiresAt`. */
async function plant(victim: Target, peers: Target[], expiresAt: number, runId: string): Promise<string> {
  const undo = (await partitionPod(f!.driver.api, victim, peers, 'both', expiresAt, testContext(runId))) as { policies: string[] };
  return undo.policies[0]!;
}

const policies = () => f!.sim.state.list('networkpolicies').map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
const labelled = () =>
  f!.sim.state
    .pods()
    .filter((p) => Object.keys(p.metadata.labels).some((k) => k.startsWith('faultline.io/')))
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
    .sort();
const shifted = (ms: number): Clock => ({ now: () => Date.now() + ms, sleep: (t, s) => systemClock.sleep(t, s) });

describe('reap (driver)', () => {
  it('removes expired policies and every pod label they use, in any namespace; leaves the not-yet-expired alone', async () => {
    f = await fixture();
    const [a, b, c, d] = await pods(['a', 'b', 'c', 'd']);
    const [x] = await pods(['x'], 'other');
    const old = await plant(a!, [b!, x!], Date.now() - 60_000, 'dead-run-1');
    const live = await plant(c!, [d!], Date.now() + HOUR, 'live-run-2');
    expect(labelled()).toEqual(['other/x', 'shop/a', 'shop/b', 'shop/c', 'shop/d']);

    const r = await f.driver.reap({}, testContext('reaper'));
    expect(r.namespaces).toBeUndefined();
    expect(r.note).toBeUndefined();
    expect(r.expired.map((l) => [l.kind, l.name, l.runId])).toEqual([['NetworkPolicy', old, 'dead-run-1']]);
    expect(r.removed).toEqual(r.expired);
    expect(r.failed).toEqual([]);
    expect(r.pending.map((l) => [l.name, l.runId])).toEqual([[live, 'live-run-2']]);
    expect(Date.parse(r.pending[0]!.expiresAt!)).toBeGreaterThan(Date.now());
    expect(policies()).toEqual([`shop/${live}`]);
    // The peer in another namespace lost its label too; the live partition kept all of its own.
    expect(labelled()).toEqual(['shop/c', 'shop/d']);
  });

  it('a dry run lists what it would remove and touches nothing', async () => {
    f = await fixture();
    const [a, b] = await pods(['a', 'b']);
    const old = await plant(a!, [b!], Date.now() - 1000, 'dead-run');
    const before = f.sim.requests.length;
    const r = await f.driver.reap({ dryRun: true }, testContext('reaper'));
    expect(r.expired.map((l) => l.name)).toEqual([old]);
    expect(r.removed).toEqual([]);
    expect(f.sim.requests.slice(before).filter((q) => !['list', 'get', 'watch'].includes(q.verb ?? ''))).toEqual([]);
    expect(policies()).toEqual([`shop/${old}`]);
    expect(labelled()).toEqual(['shop/a', 'shop/b']);
  });

  it('is idempotent: a second reap finds nothing expired and fails nothing', async () => {
    f = await fixture();
    const [a, b] = await pods(['a', 'b']);
    await plant(a!, [b!], Date.now() - 1000, 'dead-run');
    const first = await f.driver.reap({}, testContext('reaper'));
    expect(first.removed).toHaveLength(1);
    const second = await f.driver.reap({}, testContext('reaper'));
    expect(second).toMatchObject({ expired: [], removed: [], failed: [], pending: [] });
    expect(policies()).toEqual([]);
    expect(labelled()).toEqual([]);
  });

  it('restores an impairment helper still running past its deadline, and not one within it', async () => {
    f = await fixture();
    f.sim.state.addDeployment({ namespace: 'shop', name: 'db', replicas: 2 });
    const db = await f.driver.candidates({ labels: { app: 'db' } }, 'db', f.ctx);
    const groups = new Map([['db', db]]);
    for (const t of db) await faultOf('latency').inject(t, { params: { target: 'db', delay: 100, jitter: 0, direction: 'from' }, driver: f.driver, groups }, f.ctx);
    const [p0, p1] = db.map((t) => t.meta.pod as string);

    const now = await f.driver.reap({}, testContext('reaper'));
    expect(now.expired).toEqual([]);
    expect(now.pending.map((l) => l.kind)).toEqual(['Impairment', 'Impairment']);

    // Two hours on, both deadlines have passed: a helper still holding its impairment is stuck.
    const later = { ...testContext('reaper'), clock: shifted(2 * HOUR) };
    const r = await f.driver.reap({ namespaces: ['shop'] }, later);
    expect(r.failed).toEqual([]);
    expect(r.removed.map((l) => [l.kind, l.name]).sort()).toEqual([['Impairment', p0], ['Impairment', p1]]);
    expect(f.sim.state.impairment('shop', p0!)).toBeUndefined();
    expect(f.sim.state.impairment('shop', p1!)).toBeUndefined();
  });

  it('without cluster-wide list rights, reaps the fallback namespace and says why', async () => {
    f = await fixture();
    const [a, b] = await pods(['a', 'b']);
    const [x, y] = await pods(['x', 'y'], 'other');
    const inShop = await plant(a!, [b!], Date.now() - 1000, 'dead-run');
    const inOther = await plant(x!, [y!], Date.now() - 1000, 'dead-run');
    f.sim.state.forbid({ verb: 'list', resource: '*', scope: 'cluster' });
    const r = await f.driver.reap({}, testContext('reaper'));
    expect(r.namespaces).toEqual(['shop']);
    expect(r.note).toMatch(/not allowed to list across all namespaces \(Kubernetes refused to list networkpolicies at cluster scope.*403 Forbidden.*searched only namespace "shop"/);
    expect(r.removed.map((l) => l.name)).toEqual([inShop]);
    expect(policies()).toEqual([`other/${inOther}`]);
  });

  it('a 403 on the namespaces it was asked for is an error, not a silent fallback', async () => {
    f = await fixture();
    f.sim.state.forbid({ verb: 'list', resource: 'networkpolicies', namespace: 'shop' });
    await expect(f.driver.reap({ namespaces: ['shop'] }, testContext('reaper'))).rejects.toThrow(/refused to list networkpolicies in namespace "shop"/);
  });

  it('a removal that fails is reported and the others still go', async () => {
    f = await fixture();
    const [a, b, c, d] = await pods(['a', 'b', 'c', 'd']);
    f.sim.state.ensureNamespace('locked');
    const [x, y] = await pods(['x', 'y'], 'locked');
    await plant(a!, [b!], Date.now() - 1000, 'r1');
    await plant(c!, [d!], Date.now() - 1000, 'r2');
    const stuck = await plant(x!, [y!], Date.now() - 1000, 'r3');
    f.sim.state.forbid({ verb: 'delete', resource: 'networkpolicies', namespace: 'locked' });
    const r = await f.driver.reap({}, testContext('reaper'));
    expect(r.removed).toHaveLength(2);
    expect(r.failed.map((x) => x.leftover.name)).toEqual([stuck]);
    expect(r.failed[0]!.error).toMatch(/refused to delete networkpolicies/);
    expect(policies()).toEqual([`locked/${stuck}`]);
  });

  it('leaves a faultline policy without a readable expiry to rollback', async () => {
    f = await fixture();
    const net = f.sim.kubeConfig({ namespace: 'shop' }).makeApiClient(NetworkingV1Api);
    await net.createNamespacedNetworkPolicy({
      namespace: 'shop',
      body: { metadata: { name: 'old-faultline', labels: { [MANAGED_BY]: 'faultline', [RUN_ID]: 'ancient' }, annotations: { [EXPIRES_AT]: 'soon' } }, spec: { podSelector: {} } },
    });
    const r = await f.driver.reap({}, testContext('reaper'));
    expect(r.unmarked.map((l) => l.name)).toEqual(['old-faultline']);
    expect(r.removed).toEqual([]);
    expect(policies()).toEqual(['shop/old-faultline']);
  });

  it('byExpiry sorts by the instant given, an expiry equal to now counting as expired', () => {
    const l = (expiresAt: string | null) => ({ kind: 'NetworkPolicy' as const, namespace: 'n', name: String(expiresAt), runId: null, expiresAt });
    const now = Date.parse('2026-01-01T00:00:00Z');
    const out = byExpiry([l('2025-12-31T23:59:59Z'), l('2026-01-01T00:00:00Z'), l('2026-01-01T00:00:01Z'), l(null), l('garbage')], now);
    expect(out.expired.map((x) => x.name)).toEqual(['2025-12-31T23:59:59Z', '2026-01-01T00:00:00Z']);
    expect(out.pending.map((x) => x.name)).toEqual(['2026-01-01T00:00:01Z']);
    expect(out.unmarked.map((x) => x.name)).toEqual(['null', 'garbage']);
  });
});

describe('reaping at the start of a run', () => {
  const spec = { kubernetes: { namespace: 'shop' }, targets: { web: { selector: { labels: { app: 'a' } } } }, faults: [{ 'pod-delete': { target: 'web' } }] };

  it("reaps expired objects in the experiment's namespaces only, and logs what it removed", async () => {
    f = await fixture();
    const [a, b, c, d] = await pods(['a', 'b', 'c', 'd']);
    const [x, y] = await pods(['x', 'y'], 'other');
    const old = await plant(a!, [b!], Date.now() - 1000, 'dead-run');
    const live = await plant(c!, [d!], Date.now() + HOUR, 'live-run');
    const elsewhere = await plant(x!, [y!], Date.now() - 1000, 'dead-run');
    const driver = new KubernetesDriver({ kubeConfig: f.sim.kubeConfig({ namespace: 'default' }) });
    const log = testContext('x');
    await reapExpiredBeforeRun(driver, experiment(spec), log.log);
    expect(policies()).toEqual([`other/${elsewhere}`, `shop/${live}`].sort());
    expect(log.lines).toEqual([expect.stringMatching(new RegExp(`^info: reaped NetworkPolicy shop/${old} \\(and its pod labels\\): run dead-run left it, expired 20`))]);
    // Only the experiment's namespace was listed: a run never needs cluster-wide rights for this.
    expect(f.sim.requests.filter((q) => q.verb === 'list' && q.namespace === undefined)).toEqual([]);
  });

  it('a cluster that refuses is a warning, not a refusal to run', async () => {
    f = await fixture();
    f.sim.state.forbid({ verb: 'list', resource: 'networkpolicies', namespace: 'shop' });
    const driver = new KubernetesDriver({ kubeConfig: f.sim.kubeConfig({ namespace: 'shop' }) });
    const log = testContext('x');
    await expect(reapExpiredBeforeRun(driver, experiment(spec), log.log)).resolves.toBeUndefined();
    expect(log.lines).toEqual([expect.stringMatching(/^warn: could not reap expired faultline objects before the run \(Kubernetes refused to list networkpolicies.*the run goes on, `faultline reap` retries$/)]);
  });

  it('does nothing for other drivers', async () => {
    const log = testContext('x');
    await reapExpiredBeforeRun({ name: 'process' } as never, experiment(), log.log);
    expect(log.lines).toEqual([]);
  });
});
