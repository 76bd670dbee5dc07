// Every workload of a run at once: one pass over a shared history (history.jsonl holds the
// operations of all workloads, then the final reads), each record routed to its workload's checker.
// This is what the engine calls after the final read, before evaluate(); pure, no I/O.
import type { FinalRead, Operation, PhaseBounds } from '../../domain/history.js';
import type { WorkloadSummary } from '../../domain/workload-summary.js';
import { WorkloadChecker } from './check-workload.js';

export interface CheckedWorkload {
  name: string;
  /** The workload has a `read`, so its writes were read back and durability is judged. */
  readBack: boolean;
}

export class HistoryChecker {
  private readonly checkers = new Map<string, WorkloadChecker>();

  constructor(workloads: readonly CheckedWorkload[], bounds: PhaseBounds, options: { history?: string; bucketMs?: number } = {}) {
    for (const w of workloads) {
      this.checkers.set(w.name, new WorkloadChecker(w.name, bounds, { readBack: w.readBack, ...options }));
    }
  }

  /** Records of workloads not declared are ignored. */
  addOperation(op: Operation): void {
    this.checkers.get(op.workload)?.addOperation(op);
  }

  addFinalRead(read: FinalRead): void {
    this.checkers.get(read.workload)?.addFinalRead(read);
  }

  /** One summary per declared workload, in declaration order, for EvaluationInput.workloads. */
  summaries(): WorkloadSummary[] {
    return [...this.checkers.values()].map((c) => c.summary());
  }
}
