// Inputs of the SLO maths, in the journal's own shapes so the engine passes them through untouched.
import type { LogbookMarks } from './human-detection.js';
import type { ObserverLog } from '../domain/alerts.js';
import type { Journal, Sample } from '../domain/model.js';
import type { WorkloadSummary } from '../domain/workload-summary.js';
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
  /** Every workload's summary; a workload objective whose workload has none is judged unknown. */
  workloads?: WorkloadSummary[];
  /** Every observer's reads; a detection objective whose observer has none is judged unknown. */
  observers?: ObserverLog[];
  /** The run's logbook (the live console), when it had one; a human detection objective without it is judged unknown. */
  logbook?: LogbookMarks;
}

export type RecoverySpec = Extract<ObjectiveSpec, { recovery: unknown }>['recovery'];
export type AvailabilitySpec = Extract<ObjectiveSpec, { availability: unknown }>['availability'];
export type LatencySpec = Extract<ObjectiveSpec, { latency: unknown }>['latency'];
/** A latency objective on a probe (the schema guarantees exactly one of probe and workload). */
export type ProbeLatencySpec = LatencySpec & { probe: string };
export type WorkloadLatencySpec = LatencySpec & { workload: string };
export type DurabilitySpec = Extract<ObjectiveSpec, { durability: unknown }>['durability'];
export type RpoSpec = Extract<ObjectiveSpec, { rpo: unknown }>['rpo'];
export type ErrorRateSpec = Extract<ObjectiveSpec, { errorRate: unknown }>['errorRate'];
