// The built CLI against the Kubernetes simulator: preview only reads the cluster, and the victim
// it names for an instant is the pod `schedule run --once` deletes at that instant.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PreviewRun } from '../../src/cli/schedule-preview.js';
import type { Journal } from '../../src/domain/model.js';
import { runCli } from '../support/cli.js';
import { startSimulator, type Simulator } from '../k8s-sim/simulator.js';

let sim: Simulator;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  sim = await startSimulator({ recreateDelayMs: 50, readyDelayMs: 50 });
  sim.state.addDeployment({ namespace: 'shop', name: 'web', replicas: 5, labels: { app: 'web' } });
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-schedule-k8s-'));
  writeFileSync(path.join(dir, 'kubeconfig'), sim.kubeconfigYaml({ namespace: 'shop' }));
  env = { KUBECONFIG: path.join(dir, 'kubeconfig'), FAULTLINE_STATE_DIR: path.join(dir, 'state') };
  writeFileSync(
    path.join(dir, 'delete-web-pod.yaml'),
    `apiVersion: faultline/v1
kind: Experiment
metadata: { name: delete-web-pod }
spec:
  driver: kubernetes
  targets:
    web: { selector: { labels: { app: web } }, pick: { count: 1 } }
  faults:
    - pod-delete: { target: web }
  observe: { steadyState: 100ms, recoveryWindow: 500ms }
`,
  );
  writeFileSync(path.join(dir, 'schedule.yaml'), 'apiVersion: faultline/v1\nkind: Schedule\nmetadata: { name: k8s-monkey }\nspec:\n  experiments: [delete-web-pod.yaml]\n  cadence: { cron: "* * * * *" }\n  seed: 42\n');
});
afterEach(async () => {
  await sim.close();
});

describe('schedule against Kubernetes (simulator)', () => {
  it('previews by reading only, and --once deletes the pod the preview named for its instant', async () => {
    const from = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
    const preview = await runCli(['schedule', 'preview', path.join(dir, 'schedule.yaml'), '--from', from, '--days', '1', '--json'], { env });
    expect(preview.code, preview.stderr).toBe(0);
    const runs = (JSON.parse(preview.stdout) as { runs: PreviewRun[] }).runs.slice(0, 4);
    expect(runs.every((r) => r.targets?.web?.length === 1 && r.targets.web[0]!.startsWith('shop/web-'))).toBe(true);
    expect(new Set(runs.map((r) => r.targets!.web![0])).size).toBeGreaterThan(1); // the seed varies the victim
    const writes = sim.requests.filter((r) => !['get', 'list', 'watch'].includes(r.verb ?? ''));
    expect(writes).toEqual([]);

    const out = path.join(dir, 'runs');
    const once = await runCli(['schedule', 'run', path.join(dir, 'schedule.yaml'), '--once', '--out', out], { env });
    // The experiment declares no objectives, so the run judged nothing: exit 1, never 0.
    expect(once.code, once.stderr).toBe(1);
    expect(once.stderr).toMatch(/no objectives declared: nothing was judged/);
    const [runDir] = readdirSync(out);
    const journal = JSON.parse(readFileSync(path.join(out, runDir!, 'journal.json'), 'utf8')) as Journal;
    const planned = runs.find((r) => r.seed === journal.seed);
    expect(planned, `no preview entry for ${journal.seed}`).toBeDefined();
    expect(journal.targets.map((t) => t.name)).toEqual(planned!.targets!.web);
    const deleted = sim.requests.filter((r) => r.verb === 'delete' && r.resource === 'pods').map((r) => `${r.namespace}/${r.name}`);
    expect(deleted).toEqual(planned!.targets!.web);
  });
});
