// Reads a scenario file and everything it names, or throws an InvalidInputError locating every
// problem at the step that caused it: a missing or invalid experiment file, a pick folder that is
// missing or holds too few experiments, a wait on a probe no earlier step has. The picks are drawn
// here with the scenario's seed, so `plan`, `validate` and `gameday` show and run the same files.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { FaultlineError, type Diagnostic } from '../domain/errors.js';
import type { ProbeSpec } from '../domain/experiment.js';
import { Scenario, type ScenarioPlan } from '../domain/scenario.js';
import { freshSeed, randomStream } from '../runtime/random.js';
import { pickVictims } from '../targets/pick.js';
import { loadExperiment, type LoadedExperiment } from './load-experiment.js';
import { checkDocument, invalid, parseDocumentText, readDocumentFile, type ParsedDocument } from './load-document.js';
import { formatPath, type PathSegment } from './problem.js';

/** One thing the game day does, in order; a pick of n files is n experiment steps. */
export type ScenarioPlanStep =
  | { kind: 'experiment'; label: string; experiment: LoadedExperiment; picked?: { from: string; among: string[] } }
  | { kind: 'gate'; label: string; prompt?: string }
  | { kind: 'wait'; label: string; probe: string; probeSpec: ProbeSpec; atMost: number; of: LoadedExperiment };

export interface LoadedScenario {
  scenario: Scenario;
  /** Absolute path of the scenario file. */
  file: string;
  dir: string;
  /** The seed the picks were drawn with: --seed, else the file's, else a fresh one. */
  seed: string;
  /** False when the seed is fresh: the picks are then a surprise, reproducible only with --seed. */
  seedGiven: boolean;
  steps: ScenarioPlanStep[];
}

/** Probe kinds a wait can poll from faultline's host without a driver's own connection. */
const POLLABLE = ['http', 'tcp', 'exec'] as const;

export async function loadScenario(file: string, seed?: string): Promise<LoadedScenario> {
  return scenarioFrom(parseDocumentText(readDocumentFile(file, 'a scenario'), file), seed);
}

/** Validates an already parsed file as a scenario, then loads every experiment it names. `seed` overrides the file's. */
export async function scenarioFrom(doc: ParsedDocument, seedOverride?: string): Promise<LoadedScenario> {
  const scenario = checkDocument(doc, Scenario, () => []);
  const absolute = resolve(doc.file);
  const dir = dirname(absolute);
  const seed = seedOverride ?? (scenario.spec.seed !== undefined ? String(scenario.spec.seed) : freshSeed());
  const problems: Diagnostic[] = [];
  const at = (path: PathSegment[], message: string) => {
    const [where] = doc.locate([{ path, message }]);
    problems.push({ ...where!, path: formatPath(path) });
  };
  const steps: ScenarioPlanStep[] = [];
  // After an experiment that could not be loaded, a wait cannot know which probes came before it.
  let unloaded = false;
  for (const [i, step] of scenario.spec.steps.entries()) {
    const label = String(i + 1);
    if ('experiment' in step) {
      const loaded = await experimentAt(resolve(dir, step.experiment), (m) => at(['spec', 'steps', i, 'experiment'], m));
      if (loaded) steps.push({ kind: 'experiment', label, experiment: loaded });
      else unloaded = true;
    } else if ('gate' in step) {
      steps.push({ kind: 'gate', label, ...(step.prompt !== undefined ? { prompt: step.prompt } : {}) });
    } else if ('pick' in step) {
      const path = ['spec', 'steps', i, 'pick', 'from'];
      const files = experimentFiles(resolve(dir, step.pick.from));
      if ('error' in files) {
        at(path, files.error);
        unloaded = true;
        continue;
      }
      if (files.length < step.pick.count) unloaded = true;
      if (files.length < step.pick.count) {
        at(['spec', 'steps', i, 'pick', 'count'], `count is ${step.pick.count}, but ${step.pick.from} holds only ${files.length} experiment file${files.length === 1 ? '' : 's'}`);
        continue;
      }
      // Every file of the folder is checked, not only the ones this seed picks: another seed picks the others.
      const loaded: LoadedExperiment[] = [];
      for (const f of files) {
        const e = await experimentAt(f, (m) => at(path, m));
        if (e) loaded.push(e);
      }
      if (loaded.length < files.length) {
        unloaded = true;
        continue;
      }
      const picked = pickVictims(loaded, { count: step.pick.count }, randomStream(seed, `pick/${i}`));
      const among = files.map((f) => relative(dir, f));
      for (const [k, e] of picked.entries()) {
        steps.push({ kind: 'experiment', label: picked.length > 1 ? `${label}.${k + 1}` : label, experiment: e, picked: { from: step.pick.from, among } });
      }
    } else {
      const path = ['spec', 'steps', i, 'wait', 'untilRecovered'];
      const name = step.wait.untilRecovered;
      const earlier = steps.flatMap((s) => (s.kind === 'experiment' ? [s.experiment] : [])).reverse();
      const of = earlier.find((e) => name in e.experiment.spec.probes);
      if (!of && unloaded) continue;
      if (!of) {
        const inWorkload = earlier.some((e) => name in e.experiment.spec.workloads);
        const probes = [...new Set(earlier.flatMap((e) => Object.keys(e.experiment.spec.probes)))];
        at(path, inWorkload
          ? `"${name}" is a workload; a wait polls a probe (add a probe for it to the experiment)`
          : `no earlier experiment step has a probe "${name}"${probes.length ? ` (probes: ${probes.join(', ')})` : ''}`);
        continue;
      }
      const probeSpec = of.experiment.spec.probes[name]!;
      const kind = POLLABLE.find((k) => k in probeSpec);
      if (!kind) {
        at(path, `probe "${name}" of ${of.experiment.metadata.name} is a ${Object.keys(probeSpec).find((k) => k !== 'every' && k !== 'timeout')} probe; a wait polls ${POLLABLE.join(', ')} probes from this host`);
        continue;
      }
      steps.push({ kind: 'wait', label, probe: name, probeSpec, atMost: step.wait.atMost, of });
    }
  }
  if (problems.length > 0) throw invalid(problems);
  return { scenario, file: absolute, dir, seed, seedGiven: seedOverride !== undefined || scenario.spec.seed !== undefined, steps };
}

/** The steps as `plan` shows them; files relative to the scenario's folder. */
export function scenarioPlan(loaded: LoadedScenario): ScenarioPlan {
  return {
    scenario: loaded.scenario.metadata.name,
    seed: loaded.seed,
    seedGiven: loaded.seedGiven,
    steps: loaded.steps.map((s) => {
      if (s.kind === 'gate') return { label: s.label, kind: 'gate', ...(s.prompt !== undefined ? { prompt: s.prompt } : {}) };
      if (s.kind === 'wait') return { label: s.label, kind: 'wait', probe: s.probe, of: s.of.experiment.metadata.name, atMost: s.atMost };
      const e = s.experiment;
      return { label: s.label, kind: 'experiment', name: e.experiment.metadata.name, file: relative(loaded.dir, e.file), driver: e.experiment.spec.driver, faults: e.experiment.spec.faults.length, ...(s.picked ? { picked: s.picked } : {}) };
    }),
  };
}

async function experimentAt(file: string, problem: (message: string) => void): Promise<LoadedExperiment | undefined> {
  try {
    return await loadExperiment(file);
  } catch (e) {
    if (!(e instanceof FaultlineError)) throw e;
    const rel = relative(process.cwd(), file);
    const name = rel && !rel.startsWith('..') ? rel : file;
    problem(/^file not found/.test(e.message) ? `experiment file not found: ${name}` : `experiment ${name} is invalid:\n  ${e.message.split('\n').join('\n  ')}`);
    return undefined;
  }
}

const EXPERIMENT_FILE = /\.(ya?ml|json)$/i;

function experimentFiles(path: string): string[] | { error: string } {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return { error: `no such folder: ${path}` };
  }
  if (!isDir) return { error: `${path} is a file; a pick chooses among the experiment files of a folder` };
  const files = readdirSync(path)
    .filter((f) => EXPERIMENT_FILE.test(f))
    .sort()
    .map((f) => join(path, f));
  return files.length > 0 ? files : { error: `the folder ${path} holds no experiment files (.yaml, .yml, .json)` };
}
