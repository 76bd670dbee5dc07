// One workload's history in, its summary out: per-phase stats, durability and the timeline, in a
// single streaming pass. Feed operations and final reads in any order (from history.jsonl, line by
// line), then call summary(). Pure: no I/O, no clock.
import type { FinalRead, Operation, PhaseBounds } from '../../domain/history.js';
import type { WorkloadSummary } from '../../domain/workload-summary.js';
import { DurabilityCollector } from './durability.js';
import { PhaseStatsCollector } from './phase-stats.js';
import { TimelineCollector } from './timeline.js';

export interface WorkloadCheckOptions {
  /** False when the workload has no `read`: durability is then not judged (null). */
  readBack: boolean;
  /** The history file's name, recorded in the summary. */
  history?: string;
  /** Width of the timeline's buckets. Default 1s. */
  bucketMs?: number;
}

export class WorkloadChecker {
  private readonly phases: PhaseStatsCollector;
  private readonly durability: DurabilityCollector | null;
  private readonly timeline: TimelineCollector;
  private done: WorkloadSummary | undefined;

  constructor(
    readonly workload: string,
    private readonly bounds: PhaseBounds,
    private readonly options: WorkloadCheckOptions,
  ) {
    this.phases = new PhaseStatsCollector(bounds);
    this.durability = options.readBack ? new DurabilityCollector() : null;
    this.timeline = new TimelineCollector(bounds.baselineStart, options.bucketMs);
  }

  /** Operations of other workloads are ignored, so one shared history can be fed to every checker. */
  addOperation(op: Operation): void {
    if (op.workload !== this.workload) return;
    this.phases.add(op);
    this.timeline.add(op);
    this.durability?.addOperation(op);
  }

  addFinalRead(read: FinalRead): void {
    if (read.workload === this.workload) this.durability?.addFinalRead(read);
  }

  /** The summary; later operations or reads are not taken into account. */
  summary(): WorkloadSummary {
    return (this.done ??= this.compute());
  }

  private compute(): WorkloadSummary {
    const durability = this.durability?.result() ?? null;
    if (this.durability) for (const t of this.durability.lostAckTimes()) this.timeline.addLost(t);
    return {
      workload: this.workload,
      ...(this.options.history !== undefined ? { history: this.options.history } : {}),
      bounds: this.bounds,
      phases: this.phases.result(),
      durability,
      timeline: { bucketMs: this.timeline.bucketMs, buckets: this.timeline.result() },
    };
  }
}

/** The whole check at once, for histories already in memory (tests, small runs). */
export function checkWorkload(workload: string, operations: Iterable<Operation>, finalReads: Iterable<FinalRead>, bounds: PhaseBounds, options: WorkloadCheckOptions): WorkloadSummary {
  const c = new WorkloadChecker(workload, bounds, options);
  for (const op of operations) c.addOperation(op);
  for (const r of finalReads) c.addFinalRead(r);
  return c.summary();
}
