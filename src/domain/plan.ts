// What `faultline plan` resolves and `run` shows before the first fault: computed by the engine,
// rendered by report/. Pure data, here so that both may import it.
import type { FaultKind } from './experiment.js';
import type { Target } from './model.js';

export interface PlannedFault {
  name: string;
  kind: FaultKind;
  at: number;
  for: number | null;
  instant: boolean;
  /** One line per victim: what is done, how, and how it is undone. */
  actions: string[];
  /** How it goes away if faultline itself dies first. */
  expiry: string;
}

/** An observer a run reads (spec.observers), what it is read for, and what `plan` found wrong with it. */
export interface PlannedObserver {
  name: string;
  kind: string;
  url: string;
  /** The detection objectives that read it, described. */
  detections: string[];
  /** E.g. "no rule named InstanceDown is loaded (it has: ...)"; a warning, never a refusal. */
  warnings: string[];
}

export interface Plan {
  experiment: string;
  driver: string;
  seed: string;
  seedGiven: boolean;
  groups: { name: string; candidates: number; victims: Target[] }[];
  faults: PlannedFault[];
  steadyState: string[];
  steadyStateMs: number;
  /** Absent in plans made before observers existed. */
  observers?: PlannedObserver[];
}
