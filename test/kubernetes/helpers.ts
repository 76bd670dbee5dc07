// Shared set-up for the driver's tests: a simulator, a driver pointed at it, a RunContext that
// keeps its log lines, and experiments parsed through the real schema.
import { Experiment } from '../../src/domain/experiment.js';
import type { RunContext } from '../../src/domain/context.js';
import { KubernetesDriver, type KubernetesDriverOptions } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { startSimulator, type SimOptions, type Simulator } from '../k8s-sim/simulator.js';

/** Spec fields as written in a file; the schema checks them when the experiment is parsed. */
export type SpecInput = Record<string, unknown>;

export interface TestContext extends RunContext {
  lines: string[];
}

export function testContext(runId = 'run12345-abcdef'): TestContext {
  const lines: string[] = [];
  return {
    clock: systemClock,
    signal: new AbortController().signal,
    runId,
    rng: () => 0.5,
    lines,
    log: {
      info: (m) => lines.push(`info: ${m}`),
      warn: (m) => lines.push(`warn: ${m}`),
      error: (m) => lines.push(`error: ${m}`),
    },
  };
}

export function experiment(spec: SpecInput = {}): Experiment {
  return Experiment.parse({
    apiVersion: 'faultline/v1',
    kind: 'Experiment',
    metadata: { name: 'k8s-test' },
    spec: { driver: 'kubernetes', faults: [{ 'pod-delete': { target: 'web' } }], ...spec },
  });
}

export interface Fixture {
  sim: Simulator;
  driver: KubernetesDriver;
  ctx: TestContext;
}

export async function fixture(simOpts: SimOptions = {}, driverOpts: Partial<KubernetesDriverOptions> = {}, spec: SpecInput = {}): Promise<Fixture> {
  const sim = await startSimulator({ recreateDelayMs: 20, readyDelayMs: 20, ...simOpts });
  const driver = new KubernetesDriver({ kubeConfig: sim.kubeConfig({ namespace: 'shop' }), helperStartTimeoutMs: 2000, helperSettleMs: 30, ...driverOpts });
  const ctx = testContext();
  await driver.open(experiment(spec), ctx);
  return { sim, driver, ctx };
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
