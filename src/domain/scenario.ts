// The scenario file format (apiVersion faultline/v1, kind Scenario): a game day's sequence of
// experiments, manual gates where the facilitator lets the room talk, waits until a probe has
// recovered, and seeded random picks among a folder of experiments ("Wheel of Misfortune").
// Paths are relative to the scenario file; src/spec/load-scenario.ts resolves and loads them.
import { z } from 'zod';
import { BRANCH_MARKER, Duration, Name } from './schema-helpers.js';
import { closest } from './suggest.js';

const d = (text: string) => ({ description: text });

const ExperimentStep = z.strictObject({
  experiment: z.string().min(1).meta(d('An experiment file, relative to the scenario file. It runs as a normal run with its own journal.')),
});
const GateStep = z.strictObject({
  gate: z.literal('manual', { error: (iss) => `the only gate is "manual" (found ${JSON.stringify(iss.input)})` }).meta(d('manual: the scenario waits until the facilitator advances it.')),
  prompt: z.string().min(1).optional().meta(d('What the facilitator asks the room while the scenario waits, e.g. "Who was paged?".')),
});
const WaitStep = z.strictObject({
  wait: z
    .strictObject({
      untilRecovered: Name.meta(d('A probe of an earlier experiment step: polled at its own cadence until it passes as many times in a row as a recovery objective needs (3).')),
      atMost: Duration.meta(d('Give up after this long: the scenario ends aborted, because later steps would start on a service that has not recovered.')),
    })
    .meta(d('Wait until the service has recovered before the next step.')),
});
const PickStep = z.strictObject({
  pick: z
    .strictObject({
      from: z.string().min(1).meta(d('A folder of experiment files (.yaml, .yml, .json), relative to the scenario file.')),
      count: z.int().min(1).default(1).meta(d('How many of them run, in the order of their names. Default 1.')),
    })
    .meta(d('A seeded random choice among the experiments of a folder; the same seed picks the same files.')),
});

export const STEP_KINDS = ['experiment', 'gate', 'wait', 'pick'] as const;

export const ScenarioStep = z.union([ExperimentStep, GateStep, WaitStep, PickStep], {
  error: (iss) => {
    const input = iss.input as unknown;
    const names: readonly string[] = STEP_KINDS;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return `expected a step: one of ${STEP_KINDS.join(', ')}`;
    const keys = Object.keys(input);
    const present = keys.filter((k) => names.includes(k));
    if (present.length === 1) return `${BRANCH_MARKER}${names.indexOf(present[0]!)}`;
    if (present.length > 1) return `a step does one thing, but this one names ${present.map((p) => `"${p}"`).join(' and ')}`;
    const unknown = keys.filter((k) => k !== 'prompt');
    const guess = unknown.map((k) => closest(k, [...names])).find(Boolean);
    return `${unknown.length ? `unknown step "${unknown[0]}"` : 'no step kind given'}${guess ? `, did you mean "${guess}"?` : ''} (a step is one of: ${STEP_KINDS.join(', ')})`;
  },
});

export const ScenarioSpec = z.strictObject({
  steps: z.array(ScenarioStep).min(1, 'a scenario has at least one step').meta(d('What the game day does, in order.')),
  seed: z.union([z.int(), z.string().min(1)]).optional().meta(d('Makes every pick reproducible. Default: a fresh seed at every run, recorded in the journal and printed.')),
});

export const Scenario = z.strictObject({
  apiVersion: z.literal('faultline/v1', { error: (iss) => `expected apiVersion "faultline/v1" (found ${JSON.stringify(iss.input)})` }),
  kind: z.literal('Scenario', { error: (iss) => `expected kind "Scenario" (found ${JSON.stringify(iss.input)})` }),
  metadata: z.strictObject({ name: Name, description: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
  spec: ScenarioSpec,
});

export type Scenario = z.output<typeof Scenario>;
export type ScenarioStep = z.output<typeof ScenarioStep>;

/** What `faultline plan` shows of a scenario: every step in order, with the files the seed picks. */
export interface ScenarioPlan {
  scenario: string;
  seed: string;
  seedGiven: boolean;
  steps: ScenarioPlanLine[];
}

export type ScenarioPlanLine =
  | { label: string; kind: 'experiment'; name: string; file: string; driver: string; faults: number; picked?: { from: string; among: string[] } }
  | { label: string; kind: 'gate'; prompt?: string }
  | { label: string; kind: 'wait'; probe: string; of: string; atMost: number };
