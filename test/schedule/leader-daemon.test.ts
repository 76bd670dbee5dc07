// Two `schedule run --leader-elect` daemons against the Kubernetes API simulator: only the leader
// starts experiments; when it exits (releasing its Lease) the other takes over the schedule.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduleRunCommand } from '../../src/cli/schedule-run.js';
import type { Journal } from '../../src/domain/model.js';
import type { ExperimentRunner } from '../../src/schedule/scheduler.js';
import type { Slot } from '../../src/schedule/timeline.js';
import { startSimulator, type Simulator } from '../k8s-sim/simulator.js';
import { at } from './helpers.js';
import { scaledClock } from './scaled-clock.js';
import { captureTerminal, killAnyNode, workspace } from './support.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

function recordingRunner(name: string, log: string[]): ExperimentRunner {
  return {
    async run(slot: Slot) {
      log.push(`${name} ${new Date(slot.at).toISOString().slice(11, 16)}`);
      return { status: 'completed', deviated: false, unclean: false, verdicts: [], runId: `${name}-${slot.at}`, leftovers: [] } as unknown as Journal;
    },
  };
}

describe('schedule run --leader-elect', () => {
  it('lets only the lease holder act, and hands the schedule over when it exits', async () => {
    const dir = workspace({
      'experiments/kill-any-node.yaml': killAnyNode('kill-any-node', 27530),
      'schedule.yaml': 'apiVersion: faultline/v1\nkind: Schedule\nmetadata: { name: monkey }\nspec:\n  experiments: experiments\n  cadence: { cron: "* * * * *" }\n  seed: 1\n',
    });
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, sim.kubeconfigYaml({ namespace: 'chaos' }));
    // One virtual minute per real second; the lease lasts 3 virtual minutes.
    const origin = at('2026-06-15 10:00') - 30_000;
    const runs: string[] = [];
    const replica = (name: string) => {
      const stop = new AbortController();
      const term = captureTerminal();
      const done = scheduleRunCommand(
        path.join(dir, 'schedule.yaml'),
        { stateDir: path.join(dir, `state-${name}`), leaderElect: true, leaseName: 'monkey', kubeconfig, leaseIdentity: name, leaseDuration: '3m' },
        term,
        { clock: scaledClock(origin, 60), stop: stop.signal, runner: recordingRunner(name, runs), pollMs: 5000 },
      );
      return { stop, term, done };
    };
    const replicas = { 'replica-a': replica('replica-a'), 'replica-b': replica('replica-b') };
    const until = async (cond: () => boolean, what: string) => {
      const end = Date.now() + 20_000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${runs.join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until(() => runs.length >= 3, 'three runs');
    const leaderName = runs[0]!.split(' ')[0] as keyof typeof replicas;
    const followerName = leaderName === 'replica-a' ? 'replica-b' : 'replica-a';
    const [leader, follower] = [replicas[leaderName], replicas[followerName]];
    expect(runs.every((r) => r.startsWith(leaderName))).toBe(true);
    expect(follower.term.text()).toMatch(/skipped: another replica holds the lease/);
    const lease = sim.state.list('leases')[0] as { metadata: { namespace: string }; spec: { holderIdentity: string } };
    expect(lease).toMatchObject({ metadata: { namespace: 'chaos' }, spec: { holderIdentity: leaderName } });

    leader.stop.abort('test');
    expect(await leader.done).toBe(0);
    expect(leader.term.text()).toMatch(new RegExp(`leader election: ${leaderName} released the lease`));
    const handedOver = runs.length;
    await until(() => runs.length > handedOver, 'a run by the other replica');
    expect(runs.slice(handedOver).every((r) => r.startsWith(followerName))).toBe(true);
    expect(follower.term.text()).toMatch(new RegExp(`leader election: ${followerName} is now the leader`));
    follower.stop.abort('test');
    expect(await follower.done).toBe(0);
  });
});
