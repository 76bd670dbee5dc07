// `faultline validate` of a Schedule file (spawned CLI): the schedule is checked, and so is every
// experiment it names (relative to the schedule's directory, not to where faultline runs); each
// problem is reported at file:line:col in the file it is in.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const experiment = (name: string, target = 'app') => `apiVersion: faultline/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  driver: process
  services:
    app: { command: [node, app.js] }
  targets:
    app: { selector: { names: [app] } }
  faults:
    - kill: { target: ${target} }
`;

const schedule = (experiments: string, kind = 'Schedule') => `apiVersion: faultline/v1
kind: ${kind}
metadata: { name: monkey }
spec:
  experiments: ${experiments}
  calendar: { timezone: Europe/Paris, windows: [ { days: Mon-Fri, hours: "10:00-16:00" } ] }
  cadence: { meanTimeBetween: 2h, minTimeBetween: 30m }
`;

const workspaces: string[] = [];
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

/** A directory holding `files`; returns the absolute path of `schedule.yaml` in it. */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-validate-schedule-'));
  workspaces.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return path.join(dir, 'schedule.yaml');
}

/** Runs from the file system root, so that only the schedule's own directory can resolve its paths. */
const ROOT = path.parse(tmpdir()).root;
const validate = (...files: string[]) => runCli(['validate', ...files], { cwd: ROOT });

describe('faultline validate with a Schedule file (spawned CLI)', () => {
  it('accepts a valid schedule and checks the experiments it names, by file and by directory', async () => {
    const file = workspace({
      'schedule.yaml': schedule('[experiments/a.yaml, more]'),
      'experiments/a.yaml': experiment('a'),
      'more/b.yaml': experiment('b'),
      'more/c.json': JSON.stringify({ apiVersion: 'faultline/v1', kind: 'Experiment', metadata: { name: 'c' }, spec: { driver: 'docker', targets: { web: { selector: { name: 'web' } } }, faults: [{ kill: { target: 'web' } }] } }),
    });
    const r = await validate(file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok  ${file} (schedule monkey, 3 experiments: a, b, c)\n`);
  });

  it('names a missing experiment at its place in the schedule', async () => {
    const file = workspace({ 'schedule.yaml': schedule('[experiments/a.yaml, experiments/missing.yaml]'), 'experiments/a.yaml': experiment('a') });
    const r = await validate(file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${file}:5:37: spec.experiments[1]: no such experiment file or directory: ${path.join(path.dirname(file), 'experiments/missing.yaml')}\n`);
  });

  it("reports an invalid experiment's problems at file:line:col in the experiment's own file", async () => {
    const file = workspace({ 'schedule.yaml': schedule('[experiments/broken.yaml]'), 'experiments/broken.yaml': experiment('broken', 'nope') });
    const broken = path.join(path.dirname(file), 'experiments/broken.yaml');
    const r = await validate(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${escape(file)}:5:17: spec\\.experiments\\[0\\]: experiment ${escape(path.relative(ROOT, broken))} is invalid, so the schedule cannot start:\n`));
    expect(r.stderr).toContain(`\n  ${broken}:11:23: spec.faults[0].kill.target: unknown target "nope"`);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  });

  it("reports the schedule's own problems located in the schedule", async () => {
    const file = workspace({ 'schedule.yaml': schedule('[experiments/a.yaml]').replace('Europe/Paris', 'Europe/Pari'), 'experiments/a.yaml': experiment('a') });
    const r = await validate(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${escape(file)}:6:25: spec\\.calendar\\.timezone: unknown time zone "Europe/Pari", did you mean "Europe/Paris"\\?`));
  });

  it('rejects an unknown kind at the kind, with a suggestion', async () => {
    const file = workspace({ 'schedule.yaml': schedule('[experiments/a.yaml]', 'Schedul') });
    const r = await validate(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}:2:7: kind: unknown kind "Schedul", did you mean "Schedule"? (a faultline file is kind Experiment, Schedule or Scenario)\n`);
  });

  it('validates schedules and experiments side by side, each file reported', async () => {
    const good = workspace({ 'schedule.yaml': schedule('[a.yaml]'), 'a.yaml': experiment('a') });
    const bad = workspace({ 'schedule.yaml': schedule('[a.yaml]'), 'a.yaml': experiment('a', 'nope') });
    const lone = path.join(path.dirname(good), 'a.yaml');
    const r = await validate(good, bad, lone);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`ok  ${good} (schedule monkey, 1 experiment: a)\nok  ${lone} (a, process driver, 1 fault)\n2 valid, 1 invalid\n`);
    expect(r.stderr).toContain(`${path.join(path.dirname(bad), 'a.yaml')}:11:23: spec.faults[0].kill.target: unknown target "nope"`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
