// Two faults on one pod at the same time, against the simulator: for every pair of Kubernetes
// fault kinds, two target names that select the same pod by different selectors are refused at
// `plan` exactly when what the two change collides; a partition and a latency compose, each
// revert removing its own and leaving the other in place.
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { FAULT_CATALOG, INSTANT_FAULTS, type FaultKind } from '../../src/domain/fault-kinds/catalog.js';
import { FAULT_SUPPORT, supportedFaults } from '../../src/drivers/fault-support.js';
import { planExperiment } from '../../src/engine/plan.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { faultOf } from '../support/faults.js';
import { fixture, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

const swap = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/"([ab])"/g, (_m, x: string) => `"${x === 'a' ? 'b' : 'a'}"`));
/** A partition's other side is the peer, so both groups on the pod are never one partition's two sides. */
const towardsPeer = (kind: FaultKind, params: unknown) => (kind === 'partition' ? { ...(params as object), to: 'p' } : params);
const collide = (a: FaultKind, b: FaultKind) =>
  FAULT_SUPPORT.kubernetes[a]!.touches.some((x) => FAULT_SUPPORT.kubernetes[b]!.touches.some((y) => x === y || y.startsWith(`${x}/`) || x.startsWith(`${y}/`)));

describe('faults overlapping on one pod (simulator)', () => {
  it('refuses at plan, on the selected pod, every pair that changes the same thing, and plans the others', async () => {
    f = await fixture();
    f.sim.state.addPod({ namespace: 'shop', name: 'only', labels: { app: 'web', tier: 'front' } });
    f.sim.state.addPod({ namespace: 'shop', name: 'peer', labels: { app: 'db' } });
    f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 1 });
    const kinds = supportedFaults('kubernetes');
    const pairs = kinds.flatMap((a, i) => kinds.slice(i).map((b) => [a, b] as const)).filter(([a, b]) => !(INSTANT_FAULTS.includes(a) && INSTANT_FAULTS.includes(b)));
    let refusedCount = 0;
    for (const [a, b] of pairs) {
      const fault = (kind: FaultKind, params: unknown, at: string, hold: string) => ({ [kind]: params, at, ...(INSTANT_FAULTS.includes(kind) ? {} : { for: hold }) });
      const text = JSON.stringify({
        apiVersion: 'faultline/v1',
        kind: 'Experiment',
        metadata: { name: 'pair' },
        spec: {
          driver: 'kubernetes',
          targets: { a: { selector: { names: ['only'] } }, b: { selector: { labels: { tier: 'front' } } }, p: { selector: { names: ['peer'] } } },
          faults: [fault(a, towardsPeer(a, FAULT_CATALOG[a].example), INSTANT_FAULTS.includes(a) ? '1s' : '0s', '4s'), fault(b, towardsPeer(b, swap(FAULT_CATALOG[b].example)), '1s', '1s')],
        },
      });
      const { experiment } = parseExperiment(text, 'pair.json');
      const planned = planExperiment(experiment, f.driver, f.ctx, 1);
      const shareVictim = a === b || (a !== 'scale' && b !== 'scale');
      if (collide(a, b) && shareVictim) {
        refusedCount++;
        await expect(planned, `${a} with ${b}`).rejects.toThrow(InvalidInputError);
        await expect(planned, `${a} with ${b}`).rejects.toThrow(/would both change the .+ at the same time: reverting one would undo the other/);
      } else {
        expect((await planned).faults, `${a} with ${b}`).toHaveLength(2);
      }
    }
    expect(refusedCount).toBeGreaterThan(0);
  });

  it('composes a partition and a latency on one pod: each revert removes its own', async () => {
    f = await fixture();
    f.sim.state.addPod({ namespace: 'shop', name: 'a', labels: { app: 'a' } });
    f.sim.state.addPod({ namespace: 'shop', name: 'b', labels: { app: 'b' } });
    const [a] = await f.driver.candidates({ names: ['a'] }, 'a', f.ctx);
    const [b] = await f.driver.candidates({ names: ['b'] }, 'b', f.ctx);
    const groups = new Map([['a', [a!]], ['b', [b!]]]);
    const partition = await faultOf('partition').inject(a!, { params: { from: 'a', to: 'b', direction: 'both' }, driver: f.driver, groups }, f.ctx);
    const latency = await faultOf('latency').inject(a!, { params: { target: 'a', delay: 100, jitter: 0, direction: 'from' }, driver: f.driver, groups }, f.ctx);
    expect(f.sim.state.list('networkpolicies', 'shop')).toHaveLength(1);
    expect(f.sim.state.impairment('shop', 'a')).toBeDefined();

    await latency.revert(f.ctx);
    expect(f.sim.state.impairment('shop', 'a')).toBeUndefined();
    expect(f.sim.state.list('networkpolicies', 'shop')).toHaveLength(1);

    await partition.revert(f.ctx);
    expect(f.sim.state.list('networkpolicies', 'shop')).toHaveLength(0);
  });
});
