// Scenario folders for game-day tests: small, fast process-driver experiments (an echo service on a
// kernel-chosen port, killed and restarted) and the scenario file that sequences them.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Journal } from '../../src/domain/model.js';
import type { ScenarioJournal } from '../../src/domain/scenario-journal.js';
import { REPO } from '../support/kv.js';

const ECHO = path.join(REPO, 'test/fixtures/echo-server.js');

export interface ExperimentOptions {
  port: number;
  /** A kill (instant, restarted) by default; `pause` holds a pause for a minute (for halt tests). */
  fault?: 'kill' | 'pause';
  /** An extra probe named `ext` against this URL: what a scenario's wait polls after the run. */
  extUrl?: string;
}

export function echoExperiment(name: string, o: ExperimentOptions): string {
  const fault = o.fault === 'pause' ? '- pause: { target: web }\n      at: 200ms\n      for: 60s' : '- kill: { target: web }\n      at: 200ms';
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  driver: process
  seed: 1
  services:
    web: { command: [node, ${ECHO}, "${o.port}"], restart: always, ready: { tcp: "127.0.0.1:${o.port}" } }
  targets:
    web: { selector: { names: [web] } }
  probes:
    up: { http: { url: "http://127.0.0.1:${o.port}/" }, every: 50ms, timeout: 500ms }
${o.extUrl ? `    ext: { http: { url: "${o.extUrl}" }, every: 50ms, timeout: 500ms }\n` : ''}  steadyState: [up]
  faults:
    ${fault}
  objectives:
    - recovery: { probe: up, within: 5s }
  observe: { steadyState: 200ms }
`;
}

/** Writes `files` (path relative to a fresh folder → text) and returns the folder. */
export function scenarioFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-gameday-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export function scenarioYaml(name: string, steps: string, seed?: string): string {
  return `apiVersion: faultline/v1
kind: Scenario
metadata: { name: ${name} }
spec:
  steps:
${steps}
${seed !== undefined ? `  seed: ${seed}\n` : ''}`;
}

/** The one scenario run directory under `out`, its journal, and each experiment step's journal. */
export function scenarioRun(out: string): { dir: string; scenario: ScenarioJournal; step(label: string): Journal } {
  const dirs = readdirSync(out);
  if (dirs.length !== 1) throw new Error(`expected one scenario run in ${out}, found ${dirs.join(', ') || 'none'}`);
  const dir = path.join(out, dirs[0]!);
  const scenario = JSON.parse(readFileSync(path.join(dir, 'scenario.json'), 'utf8')) as ScenarioJournal;
  return {
    dir,
    scenario,
    step(label) {
      const s = scenario.steps.find((x) => x.label === label);
      if (s?.kind !== 'experiment' || !s.journal) throw new Error(`step ${label} has no journal`);
      return JSON.parse(readFileSync(path.join(dir, s.journal), 'utf8')) as Journal;
    },
  };
}
