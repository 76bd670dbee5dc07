// The shipped Kubernetes examples and the in-cluster ConfigMap parse, and select what they say
// against a simulator seeded like examples/kubernetes/app.yaml.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { faultOf } from '../support/faults.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { selectTargets } from '../../src/targets/select.js';
import { fixture, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.sim.close();
  f = undefined;
});

async function shop(): Promise<Fixture> {
  f = await fixture();
  const optIn = { 'chaos.faultline.io/opt-in': 'true' };
  f.sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 3, labels: { app: 'web' }, podLabels: { tier: 'front', ...optIn } });
  f.sim.state.addDeployment({ namespace: 'shop', name: 'api', replicas: 2, labels: { app: 'api' }, podLabels: { tier: 'back', ...optIn } });
  return f;
}

const load = (file: string) => parseExperiment(readFileSync(file, 'utf8'), file).experiment;

describe('examples/kubernetes', () => {
  it('pod-deletion selects one opted-in web pod through its Deployment', async () => {
    await shop();
    const exp = load('examples/kubernetes/pod-deletion.yaml');
    f!.driver.configure(exp);
    const sel = await selectTargets(exp, f!.driver, f!.ctx, 'seed');
    expect(sel.groups.get('web')).toHaveLength(1);
    expect(sel.candidates.get('web')).toBe(3);
  });

  it('partition-tiers selects both tiers and plans a NetworkPolicy partition', async () => {
    await shop();
    const exp = load('examples/kubernetes/partition-tiers.yaml');
    f!.driver.configure(exp);
    const sel = await selectTargets(exp, f!.driver, f!.ctx, 'seed');
    expect(sel.groups.get('web')).toHaveLength(3);
    expect(sel.groups.get('api')).toHaveLength(2);
    const fault = faultOf('partition');
    const spec = exp.spec.faults[0]!;
    if (!('partition' in spec)) throw new Error('expected a partition fault');
    const fc = { params: spec.partition, driver: f!.driver, groups: sel.groups };
    expect(fault.victims(fc)).toHaveLength(3);
  });

  it('the experiment in deploy/kubernetes/configmap-experiments.yaml is valid', () => {
    const cm = parse(readFileSync('deploy/kubernetes/configmap-experiments.yaml', 'utf8')) as { data: Record<string, string> };
    for (const [name, text] of Object.entries(cm.data)) expect(parseExperiment(text, name).experiment.spec.driver).toBe('kubernetes');
  });
});
