// How the engine, the spec checks and the journal name the faults of an experiment.
import type { ExperimentSpec, FaultSpec } from '../experiment.js';
import { FAULT_CATALOG, type FaultKind } from './catalog.js';

/** The kind of a fault entry: its one key that names a kind. */
export function faultKind(fault: FaultSpec): FaultKind {
  return Object.keys(fault).find((k) => k in FAULT_CATALOG) as FaultKind;
}

/** A fault entry's validated parameters. */
export function faultParams(fault: FaultSpec): Record<string, unknown> {
  return (fault as unknown as Record<string, Record<string, unknown>>)[faultKind(fault)]!;
}

/** Each fault's name, in order: its own `name`, or "<kind>-<position>" with positions counted from 1. */
export function faultNames(spec: Pick<ExperimentSpec, 'faults'>): string[] {
  return spec.faults.map((fault, i) => fault.name ?? `${faultKind(fault)}-${i + 1}`);
}
