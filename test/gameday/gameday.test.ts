// `faultline gameday` end to end: the built CLI, real processes, a facilitator (the test) pressing
// Enter at a manual gate, `faultline halt` from another process. Under the shared lock (ports).
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/domain/model.js';
import type { ScenarioJournal } from '../../src/domain/scenario-journal.js';
import { runCli, startCli, waitForOutput, type CliResult } from '../support/cli.js';
import { alive } from '../support/kv.js';
import { freePort } from '../support/free-port.js';
import { servicePids } from '../support/run.js';
import { echoExperiment, scenarioFolder, scenarioRun, scenarioYaml } from './scenario-files.js';

/** An HTTP endpoint the test controls: healthy, or failing for the next `n` requests. */
async function externalService(): Promise<{ url: string; failNext(n: number): void; close(): Promise<void> }> {
  let failing = 0;
  const server = http.createServer((_req, res) => {
    const fail = failing > 0;
    if (fail) failing--;
    res.writeHead(fail ? 503 : 200, { connection: 'close' }).end(fail ? 'down' : 'ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    failNext: (n) => (failing = n),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('faultline gameday (spawned CLI, real processes)', () => {
  let ext: Awaited<ReturnType<typeof externalService>>;
  beforeAll(async () => {
    ext = await externalService();
  });
  afterAll(async () => {
    await ext.close();
  });

  it('runs experiment, gate (advanced by the facilitator), wait and experiment in order, each with its own journal', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const dir = scenarioFolder({
      'experiments/first.yaml': echoExperiment('first', { port: pa, extUrl: ext.url }),
      'experiments/second.yaml': echoExperiment('second', { port: pb }),
      'scenario.yaml': scenarioYaml('three-steps', `    - experiment: experiments/first.yaml
    - gate: manual
      prompt: "What did the dashboards show?"
    - wait: { untilRecovered: ext, atMost: 30s }
    - experiment: experiments/second.yaml`),
    });
    const out = path.join(dir, 'runs');
    const cli = startCli(['gameday', path.join(dir, 'scenario.yaml'), '--out', out, '--quiet'], { stdin: 'pipe' });
    await waitForOutput(cli.output, /== gate 2: What did the dashboards show\?/, 30_000);
    // Nothing after the gate starts until the facilitator advances it.
    expect(cli.output()).not.toMatch(/running second/);
    // The service the wait polls is down for its next few requests: the wait must see it recover.
    ext.failNext(3);
    cli.child.stdin!.write('\n');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/game day three-steps: completed/);

    const run = scenarioRun(out);
    const s = run.scenario;
    expect(s).toMatchObject({ kind: 'Scenario', status: 'completed', exitCode: 0, scenario: { name: 'three-steps' } });
    expect(s.steps.map((x) => [x.label, x.kind, x.outcome])).toEqual([
      ['1', 'experiment', 'ran'],
      ['2', 'gate', 'advanced'],
      ['3', 'wait', 'recovered'],
      ['4', 'experiment', 'ran'],
    ]);
    const [first, gate, wait, second] = s.steps;
    // In order, each after the one before.
    for (const [a, b] of [[first, gate], [gate, wait], [wait, second]] as const) expect(b!.startedAt!).toBeGreaterThanOrEqual(a!.endedAt!);
    expect(gate).toMatchObject({ by: 'terminal', prompt: 'What did the dashboards show?' });
    expect(wait?.kind === 'wait' && wait.failed).toBe(3);
    expect(wait?.kind === 'wait' && wait.samples).toBe(6);
    for (const label of ['1', '4']) {
      const j = run.step(label);
      expect(j.status).toBe('completed');
      expect(j.verdicts.map((v) => v.status)).toEqual(['met']);
      for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
    }
    expect(run.step('1').experiment.name).toBe('first');
    expect(run.step('4').experiment.name).toBe('second');

    // One page for the game day, with every step's timeline and verdicts and a link to its report.
    const html = readFileSync(path.join(run.dir, 'report.html'), 'utf8');
    expect(html).toContain('Game day: three-steps');
    expect(html).toContain('manual gate: What did the dashboards show?');
    expect(html.match(/<svg class="timeline"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain(`href="${first?.kind === 'experiment' && first.runDir}/report.html"`);
    // Self-contained: nothing fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|src="|@import/);

    // The post-mortem draft of the game day, from its journals.
    const pm = await runCli(['report', run.dir, '--postmortem']);
    expect(pm.code, pm.stderr).toBe(0);
    const md = readFileSync(path.join(run.dir, 'postmortem.md'), 'utf8');
    expect(md).toContain('# Post-mortem (draft): three-steps');
    expect(md).toContain('- **Outcome:** completed, exit code 0');
    expect(md).toContain('- **Objectives:** 2 of 2 met');
    expect(md).toMatch(/\| \d\d:\d\d:\d\d\.\d{3} \| 1 first \| fault kill-1 \(kill\) injected on web \|/);
    expect(md).toMatch(/\| 2 gate \| gate opened: "What did the dashboards show\?" \|/);
    expect(md).toMatch(/\| 3 wait \| ext recovered after /);
    expect(md).toContain('| 4 second | up recovers within 5s | <= 5s |');
  });

  it('picks the same experiments for the same seed, run after run, as plan shows', async () => {
    const port = await freePort();
    const files: Record<string, string> = { 'scenario.yaml': scenarioYaml('wheel', '    - pick: { from: wheel/, count: 1 }') };
    for (const n of ['a', 'b', 'c', 'd', 'e']) files[`wheel/${n}.yaml`] = echoExperiment(`wheel-${n}`, { port });
    const dir = scenarioFolder(files);
    const plan = await runCli(['plan', path.join(dir, 'scenario.yaml'), '--seed', 'spin-7']);
    expect(plan.code, plan.stderr).toBe(0);
    const planned = /^1\. experiment (wheel-\w)/m.exec(plan.stdout)?.[1];
    expect(planned).toBeDefined();
    const picks: string[] = [];
    for (const k of [1, 2]) {
      const out = path.join(dir, `runs-${k}`);
      const r: CliResult = await runCli(['gameday', path.join(dir, 'scenario.yaml'), '--seed', 'spin-7', '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const run = scenarioRun(out);
      expect(run.scenario.seed).toBe('spin-7');
      const step = run.scenario.steps[0]!;
      expect(step.kind === 'experiment' && step.picked?.among).toEqual(['wheel/a.yaml', 'wheel/b.yaml', 'wheel/c.yaml', 'wheel/d.yaml', 'wheel/e.yaml']);
      picks.push(run.step('1').experiment.name);
    }
    expect(picks).toEqual([planned, planned]);
  });

  it('halt mid-scenario reverts the step under way, starts no later step and ends interrupted', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const dir = scenarioFolder({
      'long.yaml': echoExperiment('long-pause', { port: pa, fault: 'pause' }),
      'next.yaml': echoExperiment('next', { port: pb }),
      'scenario.yaml': scenarioYaml('halted', '    - experiment: long.yaml\n    - gate: manual\n    - experiment: next.yaml'),
    });
    const out = path.join(dir, 'runs');
    const stateDir = path.join(dir, 'state');
    const env = { FAULTLINE_STATE_DIR: stateDir };
    const cli = startCli(['gameday', path.join(dir, 'scenario.yaml'), '--out', out], { env, stdin: 'pipe' });
    await waitForOutput(cli.output, /inject pause web/, 30_000);
    const halt = await runCli(['halt', '--reason', 'game day over'], { env });
    expect(halt.code, halt.stderr).toBe(0);
    const r = await cli.done;
    await runCli(['halt', '--release'], { env });
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const run = scenarioRun(out);
    expect(run.scenario.status).toBe('interrupted');
    expect(run.scenario.exitCode).toBe(130);
    expect(run.scenario.steps.map((x) => x.outcome)).toEqual(['ran', 'not-started', 'not-started']);
    const j = run.step('1');
    expect(j.status).toBe('interrupted');
    expect(j.unclean).toBe(false);
    expect(j.events.filter((e) => e.type === 'revert' && e.ok).map((e) => (e as { fault: string }).fault)).toEqual(['pause-1']);
    for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
    expect(readdirSync(path.join(run.dir, 'steps'))).toHaveLength(1);
  });

  it('halt while the room talks at a gate ends the game day there', async () => {
    const port = await freePort();
    const dir = scenarioFolder({
      'one.yaml': echoExperiment('one', { port }),
      'scenario.yaml': scenarioYaml('gate-halt', '    - gate: manual\n      prompt: "Ready?"\n    - experiment: one.yaml'),
    });
    const out = path.join(dir, 'runs');
    const env = { FAULTLINE_STATE_DIR: path.join(dir, 'state') };
    const cli = startCli(['gameday', path.join(dir, 'scenario.yaml'), '--out', out], { env, stdin: 'pipe' });
    await waitForOutput(cli.output, /== gate 1: Ready\?/, 30_000);
    expect((await runCli(['halt'], { env })).code).toBe(0);
    const r = await cli.done;
    await runCli(['halt', '--release'], { env });
    expect(r.code).toBe(130);
    const { scenario } = scenarioRun(out);
    expect(scenario.status).toBe('interrupted');
    expect(scenario.reason).toMatch(/^halted: faultline is halted/);
    expect(scenario.steps.map((x) => x.outcome)).toEqual(['stopped', 'not-started']);
  });

  it('a wait that times out ends the game day aborted (exit 3) before the next step', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const dir = scenarioFolder({
      'first.yaml': echoExperiment('first', { port: pa, extUrl: ext.url }),
      'second.yaml': echoExperiment('second', { port: pb }),
      'scenario.yaml': scenarioYaml('never-recovers', '    - experiment: first.yaml\n    - wait: { untilRecovered: ext, atMost: 500ms }\n    - experiment: second.yaml'),
    });
    const out = path.join(dir, 'runs');
    const cli = startCli(['gameday', path.join(dir, 'scenario.yaml'), '--out', out, '--quiet']);
    // Down for good once the first experiment has run (its own samples of ext passed).
    await waitForOutput(cli.output, /PASSED first/, 30_000);
    ext.failNext(1e9);
    const r = await cli.done;
    ext.failNext(0);
    expect(r.code, r.stderr).toBe(3);
    const { scenario } = scenarioRun(out);
    expect(scenario.status).toBe('aborted');
    expect(scenario.reason).toMatch(/^step 2: ext had not recovered after 500ms; later steps would start on a service that has not recovered$/);
    expect(scenario.steps.map((x) => x.outcome)).toEqual(['ran', 'timed-out', 'not-started']);
    const wait = scenario.steps[1]!;
    expect(wait.kind === 'wait' && wait.endedAt! - wait.startedAt!).toBeGreaterThanOrEqual(500);
  });

  it('a gate nobody can advance (no standard input) stops the game day instead of waiting forever', async () => {
    const dir = scenarioFolder({
      'one.yaml': echoExperiment('one', { port: 1 }),
      'scenario.yaml': scenarioYaml('no-terminal', '    - gate: manual\n    - experiment: one.yaml'),
    });
    const out = path.join(dir, 'runs');
    const r = await runCli(['gameday', path.join(dir, 'scenario.yaml'), '--out', out]);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/standard input closed at a manual gate/);
    expect(scenarioRun(out).scenario.steps.map((x) => x.outcome)).toEqual(['stopped', 'not-started']);
  });
});
