// The built CLI against the simulator: `faultline reap` (what the reap CronJob runs), the reaping
// every `faultline run` does first, and --kubeconfig on run, plan, rollback and reap.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../../src/domain/model.js';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver.js';
import { partitionPod } from '../../src/drivers/kubernetes/partition.js';
import { runCli, startCli, waitForOutput } from '../support/cli.js';
import { startSimulator, type Simulator } from '../k8s-sim/simulator.js';
import { testContext, until } from './helpers.js';

let sim: Simulator;
let dir: string;
let kubeconfig: string;
/** No KUBECONFIG and an empty home: the only way to the simulator is --kubeconfig. */
let env: NodeJS.ProcessEnv;
let planter: KubernetesDriver;

beforeEach(async () => {
  sim = await startSimulator({ recreateDelayMs: 50, readyDelayMs: 80, ephemeralStartDelayMs: 20 });
  sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 2, labels: { app: 'web' } });
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-reap-cli-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfigYaml({ context: 'kind-sim', namespace: 'shop' }));
  env = { KUBECONFIG: '', HOME: path.join(dir, 'home'), KUBERNETES_SERVICE_HOST: '' };
  planter = new KubernetesDriver({ kubeConfig: sim.kubeConfig({ namespace: 'shop' }) });
});
afterEach(async () => {
  await sim.close();
});

async function pod(name: string, ns = 'shop'): Promise<Target> {
  sim.state.addPod({ namespace: ns, name, labels: { app: name } });
  return (await planter.candidates({ names: [name], namespaces: [ns] }, name, testContext()))[0]!;
}

/** A partition left by a run that died elsewhere (no ledger on this machine). */
async function plant(victim: string, peer: string, expiresAt: number, ns = 'shop'): Promise<string> {
  const undo = (await partitionPod(planter.api, await pod(victim, ns), [await pod(peer, ns)], 'both', expiresAt, testContext('dead-run-7'))) as { policies: string[] };
  return undo.policies[0]!;
}

const policies = () => sim.state.list('networkpolicies').map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
const labelled = () => sim.state.pods().filter((p) => Object.keys(p.metadata.labels).some((k) => k.startsWith('faultline.io/'))).length;

describe('faultline reap (simulator)', () => {
  it('dry run lists, reap removes only the expired, a second reap finds nothing: exit 0 each time', async () => {
    const old = await plant('a', 'b', Date.now() - 60_000);
    const live = await plant('c', 'd', Date.now() + 3_600_000);

    const dry = await runCli(['reap', '--kubeconfig', kubeconfig, '--dry-run'], { env });
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain('faultline objects in all namespaces (context "kind-sim")');
    expect(dry.stdout).toMatch(new RegExp(`would remove  NetworkPolicy shop/${old} \\(and its pod labels\\), run dead-run-7, expired 20`));
    expect(dry.stdout).toMatch(new RegExp(`left alone    NetworkPolicy shop/${live} .*not yet expired`));
    expect(dry.stdout).toContain('1 expired (dry run: nothing removed)');
    expect(policies()).toHaveLength(2);

    const r = await runCli(['reap', '--kubeconfig', kubeconfig], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`removed       NetworkPolicy shop/${old}`));
    expect(r.stdout).toMatch(/1 expired object\(s\) removed; 1 not yet expired, left alone \(their run may still be going; the first expires 20\d\d-/);
    expect(policies()).toEqual([`shop/${live}`]);
    expect(labelled()).toBe(2);

    const again = await runCli(['reap', '--kubeconfig', kubeconfig], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 expired object(s) removed; 1 not yet expired');
    expect(policies()).toEqual([`shop/${live}`]);
  });

  it('--json and --namespace', async () => {
    const inShop = await plant('a', 'b', Date.now() - 1000);
    const inOther = await plant('x', 'y', Date.now() - 1000, 'other');
    const r = await runCli(['reap', '--kubeconfig', kubeconfig, '--namespace', 'shop', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { namespaces: string[]; removed: { name: string; runId: string }[]; pending: unknown[]; dryRun: boolean };
    expect(report).toMatchObject({ namespaces: ['shop'], dryRun: false, pending: [] });
    expect(report.removed).toEqual([expect.objectContaining({ kind: 'NetworkPolicy', name: inShop, runId: 'dead-run-7' })]);
    expect(policies()).toEqual([`other/${inOther}`]);
  });

  it('falls back to the context namespace on a cluster-wide 403, with a note', async () => {
    await plant('a', 'b', Date.now() - 1000);
    const other = await plant('x', 'y', Date.now() - 1000, 'other');
    sim.state.forbid({ verb: 'list', resource: '*', scope: 'cluster' });
    const r = await runCli(['reap', '--kubeconfig', kubeconfig], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: not allowed to list across all namespaces .*searched only namespace "shop"/);
    expect(r.stdout).toContain('faultline objects in namespace(s) shop');
    expect(policies()).toEqual([`other/${other}`]);
  });

  it('exits 4 when an expired object cannot be removed', async () => {
    const stuck = await plant('a', 'b', Date.now() - 1000);
    sim.state.forbid({ verb: 'delete', resource: 'networkpolicies', namespace: 'shop' });
    const r = await runCli(['reap', '--kubeconfig', kubeconfig], { env });
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toMatch(new RegExp(`FAILED        NetworkPolicy shop/${stuck} .*refused to delete networkpolicies`));
    expect(r.stdout).toContain('1 could not be removed');
  });

  it('without --kubeconfig or any other configuration, says where it looked (exit 3)', async () => {
    const r = await runCli(['reap'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no kubeconfig found');
  });
});

const deleteWeb = `apiVersion: faultline/v1
kind: Experiment
metadata: { name: delete-web }
spec:
  driver: kubernetes
  targets:
    web: { selector: { labels: { app: web } }, pick: { count: 1 } }
  probes:
    ready: { k8s-ready: { kind: Deployment, name: web }, every: 50ms }
  steadyState: [ready]
  faults:
    - pod-delete: { target: web }
  objectives:
    - recovery: { probe: ready, within: 3s }
  observe: { steadyState: 150ms, recoveryWindow: 2s }
`;

describe('--kubeconfig and reaping on run (simulator)', () => {
  it("`run --kubeconfig` reaps expired objects in the experiment's namespace first, then runs", async () => {
    const old = await plant('a', 'b', Date.now() - 1000);
    const live = await plant('c', 'd', Date.now() + 3_600_000);
    const elsewhere = await plant('x', 'y', Date.now() - 1000, 'other');
    const file = path.join(dir, 'delete.yaml');
    writeFileSync(file, deleteWeb);
    const out = path.join(dir, 'runs');
    const r = await runCli(['run', file, '--kubeconfig', kubeconfig, '--out', out, '--quiet'], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`reaped NetworkPolicy shop/${old} \\(and its pod labels\\): run dead-run-7 left it`));
    expect(r.stderr.indexOf('reaped')).toBeLessThan(r.stderr.indexOf('running delete-web'));
    expect(policies()).toEqual([`other/${elsewhere}`, `shop/${live}`].sort());
    expect(sim.state.deletions).toHaveLength(1);
  });

  it('`plan --kubeconfig` resolves targets through that file', async () => {
    const file = path.join(dir, 'delete.yaml');
    writeFileSync(file, deleteWeb);
    const r = await runCli(['plan', file, '--kubeconfig', kubeconfig, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('shop/web-');
  });

  it.each([['rollback'], ['halt']])('`%s --kubeconfig` reaches the cluster when the kubeconfig the run recorded is gone', async (command) => {
    const file = path.join(dir, 'long.yaml');
    writeFileSync(
      file,
      `apiVersion: faultline/v1
kind: Experiment
metadata: { name: long-partition }
spec:
  driver: kubernetes
  targets:
    web: { selector: { labels: { app: web } }, pick: { count: 1 } }
    api: { selector: { labels: { app: api } } }
  faults:
    - partition: { from: web, to: api }
      for: 60s
  observe: { steadyState: 100ms, recoveryWindow: 1s }
`,
    );
    sim.state.addDeployment({ namespace: 'shop', name: 'api', replicas: 1, labels: { app: 'api' } });
    const temporary = path.join(dir, 'temporary-kubeconfig');
    copyFileSync(kubeconfig, temporary);
    const shared = { ...env, FAULTLINE_STATE_DIR: path.join(dir, 'state') };
    const cli = startCli(['run', file, '--kubeconfig', temporary, '--out', path.join(dir, 'runs')], { env: shared });
    await waitForOutput(cli.output, /running long-partition/);
    await until(() => policies().length === 1, 20_000);
    cli.child.kill('SIGKILL');
    await cli.done;
    rmSync(temporary);

    const without = await runCli([command!], { env: shared });
    expect(without.code).toBe(4);
    expect(without.stdout).toContain('--kubeconfig');
    expect(policies()).toHaveLength(1);

    const r = await runCli([command!, '--kubeconfig', kubeconfig], { env: shared });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 fault\(s\) restored/);
    expect(policies()).toEqual([]);
    expect(labelled()).toBe(0);
  });
});
