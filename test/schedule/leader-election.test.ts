// Two schedulers against the Kubernetes API simulator (through the real client): one leads; when
// its renewals stop the other takes over after the lease expires; a release hands over at once.
import { CoordinationV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/domain/context.js';
import { KubernetesLeaseStore } from '../../src/drivers/kubernetes/lease-store.js';
import { LeaderElector } from '../../src/schedule/leader-election.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { startSimulator, type Simulator } from '../k8s-sim/simulator.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const elector = (identity: string) =>
  new LeaderElector({ identity, store: new KubernetesLeaseStore(sim.kubeConfig(), 'faultline', 'scheduler'), clock: systemClock, log: silentLogger, leaseDurationMs: 1000, retryMs: 100 });

const holder = async () => (await sim.kubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'scheduler', namespace: 'faultline' })).spec;

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Tries every 100ms until stopped, without releasing: a replica whose renewals die. */
function renewals(e: LeaderElector): { stop: () => Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await e.tryAcquireOrRenew();
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

describe('leader election with a coordination.k8s.io/v1 Lease', () => {
  it('elects exactly one of two schedulers, and the other takes over when the leader stops renewing', async () => {
    const a = elector('replica-a');
    const b = elector('replica-b');
    const ra = renewals(a);
    await until(() => a.isLeader());
    const rb = renewals(b);
    await new Promise((r) => setTimeout(r, 500));
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(await holder()).toMatchObject({ holderIdentity: 'replica-a', leaseDurationSeconds: 1, leaseTransitions: 0 });
    // Renewals keep coming (waited for, not counted after a fixed sleep: a loaded machine is slow).
    await until(() => sim.requestsFor('update', 'leases', 'faultline').length > 2);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);

    const stoppedAt = Date.now();
    await ra.stop();
    await until(() => b.isLeader());
    // Not before the lease expired: b waited a whole lease duration without seeing a renewal.
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(900);
    expect(a.isLeader()).toBe(false);
    expect(await holder()).toMatchObject({ holderIdentity: 'replica-b', leaseTransitions: 1 });
    await rb.stop();
  });

  it('hands over at once when the leader releases the lease on exit', async () => {
    const a = elector('replica-a');
    const b = elector('replica-b');
    const stopA = new AbortController();
    const runA = a.run(stopA.signal);
    await until(() => a.isLeader());
    const rb = renewals(b);
    await new Promise((r) => setTimeout(r, 300));
    expect(b.isLeader()).toBe(false);
    stopA.abort();
    await runA;
    expect((await holder())?.holderIdentity).toBe('');
    const released = Date.now();
    await until(() => b.isLeader());
    expect(Date.now() - released).toBeLessThan(900);
    await rb.stop();
  });

  it('keeps a single leader when both race to create the lease', async () => {
    const electors = ['r1', 'r2', 'r3'].map(elector);
    const results = await Promise.all(electors.map((e) => e.tryAcquireOrRenew()));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
