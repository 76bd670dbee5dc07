// The record of one game day (`scenario.json`): what each step did and when, and for each
// experiment step where its own run's journal is. Written after every step, so a crash loses
// nothing already done; every report of a scenario is a rendering of it and of the step journals.
import type { LogbookEvent } from './logbook.js';
import type { Journal, RunStatus, VerdictStatus } from './model.js';

export type ScenarioStatus = 'running' | 'completed' | 'aborted' | 'interrupted';

/** Not started: the scenario ended before this step (halt, interrupt, a wait that timed out). */
export type ScenarioStepRecord =
  | {
      label: string;
      kind: 'experiment';
      experiment: string;
      /** The experiment file, relative to the scenario file. */
      file: string;
      picked?: { from: string; among: string[] };
      outcome: 'ran' | 'failed-to-start' | 'not-started';
      startedAt?: number;
      endedAt?: number;
      /** The step's run directory, relative to the scenario's run directory. */
      runDir?: string;
      /** The step's journal.json, relative to the scenario's run directory. */
      journal?: string;
      status?: RunStatus;
      exitCode?: number;
      verdicts?: { objective: string; status: VerdictStatus }[];
      /** Why the run could not start (environment, halt lock...). */
      error?: string;
    }
  | { label: string; kind: 'gate'; prompt?: string; outcome: 'advanced' | 'stopped' | 'not-started'; startedAt?: number; endedAt?: number; by?: string }
  | {
      label: string;
      kind: 'wait';
      probe: string;
      /** The experiment whose probe definition was polled. */
      of: string;
      atMost: number;
      outcome: 'recovered' | 'timed-out' | 'stopped' | 'not-started';
      startedAt?: number;
      endedAt?: number;
      /** From the start of the wait to the first of the passing samples that count as recovered. */
      recoveredAfterMs?: number;
      samples?: number;
      failed?: number;
    };

export interface ScenarioJournal {
  schemaVersion: 1;
  kind: 'Scenario';
  runId: string;
  faultlineVersion: string;
  scenario: { name: string; file: string; description?: string };
  seed: string;
  startedAt: number;
  endedAt: number | null;
  status: ScenarioStatus;
  /** Why the scenario ended as it did, in one sentence. */
  reason?: string;
  exitCode: number | null;
  steps: ScenarioStepRecord[];
}

/**
 * A line of the game day's logbook.jsonl: a note or Detected mark with the label of the step under
 * way when it was made. Those made during an experiment are also in its journal; those made at a
 * gate or a wait, where no run has a journal, are only here.
 */
export type ScenarioLogbookEntry = LogbookEvent & { step?: string };

/** A scenario journal with each experiment step's own journal read back in, for the renderers. */
export interface ScenarioReport {
  scenario: ScenarioJournal;
  /** By step label; absent for a step that did not run or whose journal could not be read. */
  journals: Record<string, Journal>;
  /** Logbook entries made at a gate or a wait (in no run's journal), in time order. */
  between?: ScenarioLogbookEntry[];
}
