// The built CLI against the simulator, as a user would run it: a run that passes, an interrupt
// that reverts everything, and a SIGKILL whose leftovers `faultline rollback` removes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForOutput, journalIn } from '../support/cli.js';
import { startSimulator, type Simulator } from '../k8s-sim/simulator.js';
import { until } from './helpers.js';

let sim: Simulator;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  sim = await startSimulator({ recreateDelayMs: 100, readyDelayMs: 150, ephemeralStartDelayMs: 30 });
  sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2, labels: { app: 'web' } });
  sim.state.addDeployment({ namespace: 'shop', name: 'api', replicas: 2, labels: { app: 'api' } });
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-k8s-cli-'));
  writeFileSync(path.join(dir, 'kubeconfig'), sim.kubeconfigYaml({ context: 'kind-sim', namespace: 'shop' }));
  env = { KUBECONFIG: path.join(dir, 'kubeconfig'), FAULTLINE_STATE_DIR: path.join(dir, 'state') };
});
afterEach(async () => {
  await sim.close();
});

function write(name: string, yaml: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

const longFaults = `apiVersion: faultline/v1
kind: Experiment
metadata: { name: long-faults }
spec:
  driver: kubernetes
  targets:
    web: { selector: { labels: { app: web } }, pick: { count: 1 } }
    api: { selector: { labels: { app: api } } }
  faults:
    - partition: { from: web, to: api }
      for: 60s
    - latency: { target: api, delay: 100ms }
      for: 60s
  observe: { steadyState: 100ms, recoveryWindow: 1s }
`;

const leftovers = () => ({
  policies: sim.state.list('networkpolicies').length,
  labels: sim.state.pods('shop').filter((p) => Object.keys(p.metadata.labels).some((k) => k.startsWith('faultline.io/'))).length,
  impairments: sim.state.pods('shop').filter((p) => sim.state.impairment('shop', p.metadata.name)).length,
});

describe('faultline CLI on Kubernetes (simulator)', () => {
  it('runs a pod deletion within its SLO and exits 0', async () => {
    const file = write(
      'delete.yaml',
      `apiVersion: faultline/v1
kind: Experiment
metadata: { name: delete-web }
spec:
  driver: kubernetes
  targets:
    web: { selector: { owner: { kind: Deployment, name: web } }, pick: { count: 1 } }
  probes:
    ready: { k8s-ready: { kind: Deployment, name: web }, every: 50ms }
  steadyState: [ready]
  faults:
    - pod-delete: { target: web }
  objectives:
    - recovery: { probe: ready, within: 3s }
  observe: { steadyState: 200ms, recoveryWindow: 2s }
`,
    );
    const out = path.join(dir, 'runs');
    const r = await runCli(['run', file, '--out', out, '--quiet', '--context', 'kind-sim'], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = journalIn(out);
    expect(j.verdicts[0]).toMatchObject({ met: true });
    expect(sim.state.deletions).toHaveLength(1);
  });

  it('an unknown --context is rejected before anything is touched', async () => {
    const r = await runCli(['run', write('x.yaml', longFaults), '--context', 'prod', '--quiet'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('unknown Kubernetes context "prod"');
    expect(r.stdout + r.stderr).toContain('known contexts: kind-sim');
    expect(sim.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('SIGINT mid-run reverts the partition and the impairments', async () => {
    const out = path.join(dir, 'runs');
    const cli = startCli(['run', write('long.yaml', longFaults), '--out', out], { env });
    await until(() => leftovers().policies === 1 && leftovers().impairments === 2, 20_000);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).not.toBe(0);
    expect(journalIn(out).status).toBe('interrupted');
    expect(leftovers()).toEqual({ policies: 0, labels: 0, impairments: 0 });
  });

  it('after a SIGKILL, `faultline rollback` removes what the run left', async () => {
    const cli = startCli(['run', write('long.yaml', longFaults), '--out', path.join(dir, 'runs')], { env });
    await waitForOutput(cli.output, /running long-faults/);
    await until(() => leftovers().policies === 1 && leftovers().impairments === 2, 20_000);
    cli.child.kill('SIGKILL');
    await cli.done;
    expect(leftovers()).toMatchObject({ policies: 1, impairments: 2 });
    const r = await runCli(['rollback'], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 fault\(s\) restored/);
    expect(leftovers()).toEqual({ policies: 0, labels: 0, impairments: 0 });
  });
});
