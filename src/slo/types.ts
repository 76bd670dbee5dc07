// Inputs of the SLO maths, in the journal's own shapes so the engine passes them through untouched.
import type { Journal, Sample } from '../domain/model.js';
import type { ObjectiveSpec } from '../domain/experiment.js';

export type FaultRecord = Journal['faults'][number];

export interface Window {
  /** The first injection, epoch ms. */
  start: number;
  /** The end of observation (or, while running, its expected end), epoch ms. */
  end: number;
}

export interface EvaluationInput {
  objectives: ObjectiveSpec[];
  /** Every probe's samples, in any order. */
  samples: Sample[];
  faults: FaultRecord[];
  window: Window;
}

export type RecoverySpec = Extract<ObjectiveSpec, { recovery: unknown }>['recovery'];
export type AvailabilitySpec = Extract<ObjectiveSpec, { availability: unknown }>['availability'];
export type LatencySpec = Extract<ObjectiveSpec, { latency: unknown }>['latency'];
