// `faultline import` of real Chaos Mesh resources (test/fixtures/import/chaos-mesh, from the
// chaos-mesh repository's examples): each is converted, what was and was not imported is said at
// file:line:col, and every file written passes the real `faultline validate`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { importAndValidate, removeTempDirs, tempDir } from './support.js';

const FIXTURES = 'test/fixtures/import/chaos-mesh';
const fixture = (name: string) => path.join(FIXTURES, name);
afterAll(removeTempDirs);

describe('faultline import: Chaos Mesh', () => {
  it('imports a PodChaos pod-kill, container-kill and a partition with its target, each valid', async () => {
    const r = await importAndValidate([fixture('pod-kill-example.yaml'), fixture('container-kill-example.yaml'), fixture('network-partition-example.yaml')]);
    expect(r.imported.code, r.imported.stdout + r.imported.stderr).toBe(0);
    expect(r.imported.stdout).toContain(`${fixture('pod-kill-example.yaml')}:20:11: PodChaos pod-kill → fault pod-kill (delete, grace period 0)`);
    expect(r.imported.stdout).toContain(`${fixture('pod-kill-example.yaml')}:21:9: mode one → pick {count: 1}`);
    expect(r.imported.stdout).toContain(`${fixture('container-kill-example.yaml')}:7:11: PodChaos container-kill → fault container-kill (SIGKILL) of container prometheus`);
    expect(r.imported.stdout).toContain('NetworkChaos partition (direction to) → fault partition from pods to peers, direction to');
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    expect(r.validated?.stdout).toContain('3 valid, 0 invalid');
    const partition = r.text('network-partition-example.yaml');
    expect(partition).toMatch(/partition:\n\s+from: pods\n\s+to: peers\n\s+direction: to\n\s+for: 10s/);
    expect(partition).toContain('app.kubernetes.io/component: tikv');
    // No objective is invented; a commented-out suggestion is.
    expect(partition).not.toMatch(/^\s*objectives:/m);
    expect(partition).toMatch(/^# {3}- recovery: \{ probe: ready, within: 30s \}$/m);
  });

  it('refuses the parts without an equivalent by name and line, and writes them only with --partial, commented', async () => {
    const delay = fixture('network-delay-example.yaml');
    const refused = await importAndValidate([delay]);
    expect(refused.imported.code).toBe(2);
    expect(refused.written).toEqual([]);
    expect(refused.imported.stdout).toContain(`NOT IMPORTED  ${delay}:14:18: delay.correlation 25%: faultline's jitter is uniform and independent from packet to packet`);
    expect(refused.imported.stderr).toContain('pass --partial');

    const partial = await importAndValidate([delay, fixture('network-loss-example.yaml'), fixture('network-bandwidth-example.yaml'), fixture('network-delay-with-target-example.yaml')], { partial: true });
    expect(partial.imported.code, partial.imported.stderr).toBe(0);
    expect(partial.validated?.code, partial.validated?.stderr).toBe(0);
    expect(partial.text('network-delay-example.yaml')).toContain(`# NOT IMPORTED (${delay}:14): delay.correlation 25%`);
    expect(partial.text('network-delay-example.yaml')).toMatch(/latency:\n\s+target: pods\n\s+delay: 90ms\n\s+jitter: 90ms\n\s+direction: from\n\s+for: 10s/);
    expect(partial.text('network-loss-example.yaml')).toMatch(/loss:\n\s+target: pods\n\s+percent: 25%/);
    // tc's "kbps" is kilobytes per second.
    expect(partial.text('network-bandwidth-example.yaml')).toMatch(/rate: 100KB/);
    expect(partial.imported.stdout).toContain('bandwidth.limit (a tc tbf parameter): faultline sets its own queue and burst sizes');
    expect(partial.imported.stdout).toContain("delay toward a target: faultline limits an impairment to peers on the docker driver only; imported as an impairment of all the pods' traffic");
  });

  it('turns a Schedule into a faultline Schedule and its experiment, both valid', async () => {
    const r = await importAndValidate([fixture('web-show-pod-kill.yaml')]);
    expect(r.imported.code, r.imported.stderr).toBe(0);
    expect(r.names).toEqual(['web-show-pod-kill.schedule.yaml', 'web-show-pod-kill.yaml']);
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    expect(r.text('web-show-pod-kill.schedule.yaml')).toMatch(/cadence:\n\s+cron: "\* \* \* \* \*"/);
    expect(r.text('web-show-pod-kill.yaml')).toMatch(/namespaces: \[ default \]/);
  });

  it('says why a Schedule faultline cannot follow is not imported', async () => {
    const file = fixture('schedule-podchaos.yaml');
    const r = await importAndValidate([file]);
    expect(r.imported.code).toBe(2);
    expect(r.imported.stdout).toContain(`NOT IMPORTED  ${file}:6:13: schedule "@every 5s": faultline schedules have minute granularity (every whole minute at most)`);
    const network = await importAndValidate([fixture('web-show-network-delay.yaml')], { partial: true });
    expect(network.validated?.code, network.validated?.stderr).toBe(0);
  });

  it('refuses kinds faultline does not do, by name, located', async () => {
    const io = fixture('io-delay-example.yaml');
    const time = fixture('time-chaos-example.yaml');
    const r = await importAndValidate([io, time]);
    expect(r.imported.code).toBe(2);
    expect(r.written).toEqual([]);
    expect(r.imported.stderr).toContain(`${io}:2:7: kind: IoChaos is not supported by faultline (it imports PodChaos, NetworkChaos and Schedule)`);
    expect(r.imported.stderr).toContain(`${time}:2:7: kind: TimeChaos is not supported by faultline`);
  });

  it('imports a PodChaos pod-failure as a held pod-failure, valid', async () => {
    const failure = fixture('pod-failure-example.yaml');
    const r = await importAndValidate([failure]);
    expect(r.imported.code, r.imported.stdout + r.imported.stderr).toBe(0);
    expect(r.imported.stdout).toContain(`${failure}:7:11: PodChaos pod-failure → fault pod-failure (every container on Chaos Mesh's pause image until reverted; the pod is not deleted)`);
    expect(r.imported.stdout).toContain(`${failure}:9:13: duration 30s → for: 30s`);
    expect(r.validated?.code, r.validated?.stderr).toBe(0);
    expect(r.text('pod-failure-example.yaml')).toMatch(/- pod-failure:\n\s+target: pods\n\s+for: 30s/);
    // Its pause image may be named; an empty one is refused where it is written.
    const dir = tempDir();
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, r.text('pod-failure-example.yaml').replace(/^( +)target: pods$/m, '$1target: pods\n$1image: ""'));
    const refused = await runCli(['validate', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr + refused.stdout).toContain(`${bad}:22:16: spec.faults[0].pod-failure.image: expected a non-empty string, found ""`);
    writeFileSync(bad, r.text('pod-failure-example.yaml').replace(/^( +)target: pods$/m, '$1target: pods\n$1image: registry.k8s.io/pause:3.10'));
    expect((await runCli(['validate', bad])).code).toBe(0);
  });

  it('writes nothing when no fault maps: a partition from external addresses', async () => {
    const external = fixture('network-partition-with-external-targets-example.yaml');
    const r = await importAndValidate([external], { partial: true });
    expect(r.imported.code).toBe(2);
    expect(r.written).toEqual([]);
    expect(r.imported.stdout).toContain(`${external}:28:5: a partition without target: faultline partitions two target groups`);
  });

  it('imports every document of a multi-document file, and refuses an invalid resource located', async () => {
    const dir = tempDir();
    const multi = path.join(dir, 'multi.yaml');
    writeFileSync(multi, [readFileSync(fixture('pod-kill-example.yaml'), 'utf8'), readFileSync(fixture('container-kill-example.yaml'), 'utf8')].join('---\n'));
    const ok = await importAndValidate([multi]);
    expect(ok.imported.code, ok.imported.stderr).toBe(0);
    expect(ok.names).toEqual(['container-kill-example.yaml', 'pod-kill-example.yaml']);
    expect(ok.validated?.code).toBe(0);

    const bad = path.join(dir, 'fixed.yaml');
    writeFileSync(bad, 'apiVersion: chaos-mesh.org/v1alpha1\nkind: PodChaos\nmetadata: { name: fixed }\nspec:\n  action: pod-kill\n  mode: fixed\n  selector: { labelSelectors: { app: web } }\n');
    const refused = await importAndValidate([bad]);
    expect(refused.imported.code).toBe(2);
    expect(refused.imported.stderr).toContain(`${bad}:6:9: spec.mode: mode fixed needs a value (a whole number of pods above 0)`);
    expect(refused.written).toEqual([]);
  });

  it('from the command line: --partial and --out are honoured, and the exit code says whether everything was written', async () => {
    const out = tempDir();
    const delay = fixture('network-delay-example.yaml');
    const refused = await runCli(['import', '--out', out, delay]);
    expect(refused.code).toBe(2);
    const partial = await runCli(['import', '--partial', '--out', out, delay, fixture('pod-kill-example.yaml')]);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stdout).toContain(`wrote         ${path.join(out, 'network-delay-example.yaml')}`);
    expect(partial.stdout).toContain(`wrote         ${path.join(out, 'pod-kill-example.yaml')}`);
    expect(partial.stdout).toContain('every import written');
  });

  it('says what it expected and what it found for a file of neither format', async () => {
    const dir = tempDir();
    const k8s = path.join(dir, 'deployment.yaml');
    writeFileSync(k8s, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n');
    const r = await runCli(['import', '--out', dir, k8s]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${k8s}:1:1: unknown format: expected a Chaos Toolkit experiment (an object with "title" and "method") or Chaos Mesh resources (apiVersion: chaos-mesh.org/v1alpha1); found apiVersion "apps/v1", kind "Deployment"`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
