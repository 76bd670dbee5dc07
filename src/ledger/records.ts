// The write-ahead ledger's record types. One NDJSON file per run, appended and fsynced before each
// side effect, so that after a crash, a SIGKILL or a power loss `faultline rollback` (or the
// watchdog) knows what may be in place and exactly how to undo it.
import type { FaultKind } from '../domain/experiment.js';
import type { DriverName, JsonValue, RunStatus, Target } from '../domain/model.js';

export interface RunRecord {
  type: 'run';
  runId: string;
  pid: number;
  /** The runner's start time (see processStartTime): halt signals the recorded pid only if it still matches. */
  pidStart?: string;
  hostname: string;
  startedAt: number;
  experiment: string;
  file?: string;
  driver: DriverName;
  /** How to reach the driver's world again (engine address, kube context), secrets excluded. */
  settings: Record<string, string>;
}

export interface IntentRecord {
  type: 'intent';
  t: number;
  fault: string;
  kind: FaultKind;
  target: Target;
  /** When the fault must be gone at the latest (its `for` plus a margin); null for instant faults. */
  expiresAt: number | null;
}

export interface InjectedRecord {
  type: 'injected';
  t: number;
  fault: string;
  kind: FaultKind;
  target: Target;
  undo: JsonValue;
}

export interface RevertedRecord {
  type: 'reverted';
  t: number;
  fault: string;
  kind: FaultKind;
  target: Target;
  by: 'run' | 'rollback' | 'watchdog' | 'halt';
  note?: string;
}

/** A process the run started (process driver): orphans are found and stopped by these. */
export interface ServiceRecord {
  type: 'service';
  t: number;
  service: string;
  pid: number;
  event: 'started' | 'stopped';
}

export interface EndRecord {
  type: 'end';
  t: number;
  status: RunStatus;
  unclean: boolean;
}

export interface SweptRecord {
  type: 'swept';
  t: number;
  by: 'rollback' | 'watchdog' | 'halt';
  removed: string[];
}

export type LedgerRecord = RunRecord | IntentRecord | InjectedRecord | RevertedRecord | ServiceRecord | EndRecord | SweptRecord;

/** A fault that may still be in place: intended (maybe injected) and not reverted. */
export interface Outstanding {
  fault: string;
  kind: FaultKind;
  target: Target;
  /** Undefined when the run died between the intent and the injection's result. */
  undo?: JsonValue;
  expiresAt: number | null;
}

/** What a ledger says about its run. Pure. */
export interface LedgerState {
  run: RunRecord;
  ended: EndRecord | undefined;
  outstanding: Outstanding[];
  /** Services started and not recorded as stopped, by name -> latest pid. */
  services: Map<string, number>;
  swept: boolean;
}

export function ledgerState(records: readonly LedgerRecord[]): LedgerState | undefined {
  const run = records.find((r): r is RunRecord => r.type === 'run');
  if (!run) return undefined;
  const open = new Map<string, Outstanding>();
  const key = (fault: string, target: Target) => `${fault}\u0000${target.id}`;
  const services = new Map<string, number>();
  let ended: EndRecord | undefined;
  let swept = false;
  for (const r of records) {
    switch (r.type) {
      case 'intent':
        open.set(key(r.fault, r.target), { fault: r.fault, kind: r.kind, target: r.target, expiresAt: r.expiresAt });
        break;
      case 'injected': {
        const o = open.get(key(r.fault, r.target));
        if (o) o.undo = r.undo;
        break;
      }
      case 'reverted':
        open.delete(key(r.fault, r.target));
        break;
      case 'service':
        if (r.event === 'started') services.set(r.service, r.pid);
        else if (services.get(r.service) === r.pid) services.delete(r.service);
        break;
      case 'end':
        ended = r;
        break;
      case 'swept':
        swept = true;
        break;
    }
  }
  return { run, ended, outstanding: [...open.values()], services, swept };
}
