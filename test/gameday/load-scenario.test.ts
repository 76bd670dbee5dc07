// Scenario files through the one loading pipeline: what they resolve to, and every problem located.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { loadExperiment } from '../../src/spec/load-experiment.js';
import { loadFile } from '../../src/spec/load-file.js';
import { loadScenario, scenarioPlan } from '../../src/spec/load-scenario.js';
import { renderScenarioPlan } from '../../src/report/scenario-plan-text.js';
import { scenarioJsonSchema, SCENARIO_SCHEMA_ID } from '../../src/spec/json-schema.js';
import { REPO } from '../support/kv.js';

function experiment(name: string): string {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  driver: process
  services:
    web: { command: [node, web.js] }
  targets:
    web: { selector: { names: [web] } }
  probes:
    up: { http: { url: "http://127.0.0.1:1/" }, every: 100ms }
  faults:
    - kill: { target: web }
      at: 1s
  objectives:
    - recovery: { probe: up, within: 5s }
`;
}

/** A folder with experiments/first.yaml and experiments/wheel/{a..f}.yaml; returns the scenario file. */
function scenarioDir(scenario: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-scenario-'));
  mkdirSync(path.join(dir, 'experiments/wheel'), { recursive: true });
  writeFileSync(path.join(dir, 'experiments/first.yaml'), experiment('first'));
  for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) writeFileSync(path.join(dir, `experiments/wheel/${n}.yaml`), experiment(`wheel-${n}`));
  const file = path.join(dir, 'scenario.yaml');
  writeFileSync(file, scenario);
  return file;
}

const GOOD = `apiVersion: faultline/v1
kind: Scenario
metadata: { name: payments-gameday }
spec:
  steps:
    - experiment: experiments/first.yaml
    - gate: manual
      prompt: "Who was paged?"
    - wait: { untilRecovered: up, atMost: 5m }
    - pick: { from: experiments/wheel/, count: 2 }
  seed: 42
`;

function problems(fn: () => Promise<unknown>): Promise<string> {
  return fn().then(
    () => {
      throw new Error('expected the scenario to be refused');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(InvalidInputError);
      return (e as Error).message;
    },
  );
}

describe('Scenario files', () => {
  it('resolve every step, and the picks are the same for the same seed', async () => {
    const file = scenarioDir(GOOD);
    const loaded = await loadScenario(file);
    expect(loaded.seed).toBe('42');
    expect(loaded.steps.map((s) => `${s.label}:${s.kind}`)).toEqual(['1:experiment', '2:gate', '3:wait', '4.1:experiment', '4.2:experiment']);
    const gate = loaded.steps[1]!;
    expect(gate.kind === 'gate' && gate.prompt).toBe('Who was paged?');
    const wait = loaded.steps[2]!;
    expect(wait.kind === 'wait' && [wait.probe, wait.atMost, wait.of.experiment.metadata.name]).toEqual(['up', 300_000, 'first']);
    const picked = (l: typeof loaded) => l.steps.flatMap((s) => (s.kind === 'experiment' && s.picked ? [s.experiment.experiment.metadata.name] : []));
    const first = picked(loaded);
    expect(first).toHaveLength(2);
    expect(picked(await loadScenario(file))).toEqual(first);
    // Another seed, over enough seeds, picks other files: the seed is what chooses.
    const others = new Set<string>();
    for (let s = 0; s < 10; s++) others.add(picked(await loadScenario(file, `other-${s}`)).join());
    expect(others.size).toBeGreaterThan(1);

    const text = renderScenarioPlan(scenarioPlan(loaded));
    expect(text).toContain('scenario payments-gameday (5 steps, seed 42)');
    expect(text).toContain('2. gate (manual): wait for the facilitator; prompt: Who was paged?');
    expect(text).toContain('3. wait until up (probe of first) has recovered, at most 5m');
    expect(text).toContain(`4.1. experiment ${first[0]} (experiments/wheel/${first[0]!.slice(-1)}.yaml`);
    expect(text).toContain('picked from experiments/wheel/ among: experiments/wheel/a.yaml, experiments/wheel/b.yaml');
  });

  it('are recognised by kind, like experiments and schedules', async () => {
    const loaded = await loadFile(scenarioDir(GOOD), Date.parse('2026-01-01T00:00:00Z'));
    expect(loaded.kind).toBe('Scenario');
  });

  it('locate a missing experiment, a bad pick folder, a pick larger than its folder and a wait on an unknown probe', async () => {
    const file = scenarioDir(`apiVersion: faultline/v1
kind: Scenario
metadata: { name: bad }
spec:
  steps:
    - experiment: experiments/first.yaml
    - wait: { untilRecovered: down, atMost: 5m }
    - experiment: experiments/missing.yaml
    - pick: { from: experiments/nope/ }
    - pick: { from: experiments/wheel/, count: 7 }
`);
    const dir = path.dirname(file);
    const message = await problems(() => loadScenario(file));
    expect(message.split('\n')).toEqual([
      `${file}:7:31: spec.steps[1].wait.untilRecovered: no earlier experiment step has a probe "down" (probes: up)`,
      `${file}:8:19: spec.steps[2].experiment: experiment file not found: ${path.join(dir, 'experiments/missing.yaml')}`,
      `${file}:9:21: spec.steps[3].pick.from: no such folder: ${path.join(dir, 'experiments/nope')}`,
      `${file}:10:48: spec.steps[4].pick.count: count is 7, but experiments/wheel/ holds only 6 experiment files`,
    ]);
  });

  it('name an unknown step and suggest the closest kind', async () => {
    const file = scenarioDir(GOOD.replace('- gate: manual', '- gates: manual'));
    expect(await problems(() => loadScenario(file))).toBe(`${file}:7:7: spec.steps[1].gates: unknown step "gates", did you mean "gate"? (a step is one of: experiment, gate, wait, pick)`);
  });

  it('report an invalid experiment at the step that names it', async () => {
    const file = scenarioDir(GOOD);
    writeFileSync(path.join(path.dirname(file), 'experiments/first.yaml'), experiment('first').replace('kill:', 'kil:'));
    const message = await problems(() => loadScenario(file));
    const experimentFile = path.join(path.dirname(file), 'experiments/first.yaml');
    // Only the experiment's own problem: the wait after it is not blamed for a probe it cannot see.
    expect(message.split('\n')).toEqual([
      `${file}:6:19: spec.steps[0].experiment: experiment ${experimentFile} is invalid:`,
      expect.stringMatching(new RegExp(`^  ${experimentFile}:13:7: spec.faults\\[0\\].kil: unknown fault kind "kil", did you mean "kill"\\?`)),
    ]);
  });

  it('shipped with the examples are valid', async () => {
    const loaded = await loadScenario(path.join(REPO, 'examples/kv/gameday.yaml'));
    expect(loaded.steps.map((s) => s.kind)).toEqual(['experiment', 'gate', 'experiment']);
  });

  it('passed where an experiment belongs, say which command runs them', async () => {
    const file = path.join(REPO, 'examples/kv/gameday.yaml');
    expect(await problems(() => loadExperiment(file))).toBe(`${file}:5:7: kind: this file is a scenario, not an experiment: run it with \`faultline gameday ${file}\``);
  });

  it('have a published JSON Schema', () => {
    const schema = scenarioJsonSchema() as { $id: string; required: string[]; properties: { spec: { required: string[] } } };
    expect(schema.$id).toBe(SCENARIO_SCHEMA_ID);
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(schema.properties.spec.required).toEqual(['steps']);
    expect(JSON.stringify(schema)).toContain('untilRecovered');
  });
});
