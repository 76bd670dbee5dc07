// Two faults on one container at the same time, against the real engine (one container, reused):
// for every pair of Docker fault kinds, two target names that select the same container by
// different selectors (so `validate` cannot see it) are refused at `plan` exactly when what the two
// change collides; and pairs that compose do, with the container in the right state at each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Dockerode from 'dockerode';
import { InvalidInputError } from '../../src/domain/errors.js';
import { FAULT_CATALOG, INSTANT_FAULTS, type FaultKind } from '../../src/domain/fault-kinds/catalog.js';
import type { Target } from '../../src/domain/model.js';
import { FAULT_SUPPORT, supportedFaults } from '../../src/drivers/fault-support.js';
import { planExperiment } from '../../src/engine/plan.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { faultOf } from '../support/faults.js';
import { Lab, ensureDocker, iptablesSave } from './lab.js';

const lab = new Lab('interfere');
let box: Dockerode.ContainerInspectInfo;
/** The other side of a partition: two groups that shared a victim would be refused as a self-partition first. */
let peer: Dockerode.ContainerInspectInfo;

beforeAll(async () => {
  await ensureDocker();
  box = await lab.container({ name: 'box', labels: { 'faultline.test.role': 'box' } });
  peer = await lab.container({ name: 'peer' });
}, 300_000);

afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

const onTarget = (kind: FaultKind) => JSON.stringify(FAULT_CATALOG[kind].example).includes('"a"');
const swap = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/"([ab])"/g, (_m, x: string) => `"${x === 'a' ? 'b' : 'a'}"`));
/** A partition's other side is the peer, so both groups on the box are never one partition's two sides. */
const towardsPeer = (kind: FaultKind, params: unknown) => (kind === 'partition' ? { ...(params as object), to: 'p' } : params);
const collide = (a: FaultKind, b: FaultKind) =>
  FAULT_SUPPORT.docker[a]!.touches.some((x) => FAULT_SUPPORT.docker[b]!.touches.some((y) => x === y || y.startsWith(`${x}/`) || x.startsWith(`${y}/`)));

describe('faults overlapping on one container (real engine)', () => {
  const kinds = supportedFaults('docker').filter(onTarget);
  const pairs = kinds.flatMap((a, i) => kinds.slice(i).map((b) => [a, b] as const)).filter(([a, b]) => !(INSTANT_FAULTS.includes(a) && INSTANT_FAULTS.includes(b)));

  it('refuses at plan, on the selected container, every pair that changes the same thing, and plans the others', async () => {
    const driver = lab.driver();
    for (const [a, b] of pairs) {
      const fault = (kind: FaultKind, params: unknown, at: string, hold: string) => ({ [kind]: params, at, ...(INSTANT_FAULTS.includes(kind) ? {} : { for: hold }) });
      const text = JSON.stringify({
        apiVersion: 'faultline/v1',
        kind: 'Experiment',
        metadata: { name: 'pair' },
        spec: {
          driver: 'docker',
          targets: { a: { selector: { name: box.Name.slice(1) } }, b: { selector: { labels: { 'faultline.test.lab': lab.id, 'faultline.test.role': 'box' } } }, p: { selector: { name: peer.Name.slice(1) } } },
          faults: [fault(a, towardsPeer(a, FAULT_CATALOG[a].example), INSTANT_FAULTS.includes(a) ? '1s' : '0s', '4s'), fault(b, towardsPeer(b, swap(FAULT_CATALOG[b].example)), '1s', '1s')],
        },
      });
      const { experiment } = parseExperiment(text, 'pair.json');
      const planned = planExperiment(experiment, driver, lab.ctx(), 1);
      if (collide(a, b)) {
        await expect(planned, `${a} with ${b}`).rejects.toThrow(InvalidInputError);
        await expect(planned, `${a} with ${b}`).rejects.toThrow(new RegExp(`would both change the .+ of ${box.Name.slice(1)} at the same time`));
      } else {
        expect((await planned).faults, `${a} with ${b}`).toHaveLength(2);
      }
    }
  }, 120_000);

  it('composes a pause with a CPU limit and with a timeout chain: reverting the pause leaves each in place', async () => {
    const d = lab.driver();
    const t: Target = await lab.target(box);
    const fc = <K extends FaultKind>(params: unknown) => ({ params: params as never, driver: d, groups: new Map([['g', [t]]]) }) as Parameters<ReturnType<typeof faultOf<K>>['inject']>[1];
    const inspect = () => lab.docker.getContainer(box.Id).inspect();
    const limited = (i: Dockerode.ContainerInspectInfo) => (i.HostConfig.NanoCpus ?? 0) > 0 || (i.HostConfig.CpuQuota ?? 0) > 0;
    const chains = async () => (await iptablesSave((await inspect()).State.Pid)).split('\n').filter((l) => l.includes(`FL-${lab.runId}`)).length;

    const cpu = await faultOf('cpu').inject(t, fc({ target: 'g', cpus: 0.5 }), lab.ctx());
    const timeout = await faultOf('timeout').inject(t, fc({ target: 'g' }), lab.ctx());
    const pause = await faultOf('pause').inject(t, fc({ target: 'g' }), lab.ctx());
    expect((await inspect()).State.Paused).toBe(true);
    expect(limited(await inspect())).toBe(true);
    expect(await chains()).toBeGreaterThan(0);

    await pause.revert(lab.ctx());
    const afterPause = await inspect();
    expect(afterPause.State.Paused).toBe(false);
    expect(limited(afterPause)).toBe(true);
    expect(await chains()).toBeGreaterThan(0);

    await timeout.revert(lab.ctx());
    expect(await chains()).toBe(0);
    expect(limited(await inspect())).toBe(true);
    await cpu.revert(lab.ctx());
    expect(limited(await inspect())).toBe(false);
  }, 60_000);
});
