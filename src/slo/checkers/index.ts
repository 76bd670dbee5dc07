// Pure checkers: a workload's history in, its summary and the workload objectives' verdicts out.
export { WorkloadChecker, checkWorkload, type WorkloadCheckOptions } from './check-workload.js';
export { HistoryChecker, type CheckedWorkload } from './history-checker.js';
export { DurabilityCollector, LOST_SAMPLE_SIZE } from './durability.js';
export { PhaseStatsCollector } from './phase-stats.js';
export { TimelineCollector } from './timeline.js';
export { LatencyHistogram } from './latency-histogram.js';
export { PHASE_NAMES, phaseOf, phaseSpan } from './phases.js';
export { evaluateDurability } from './durability-verdict.js';
export { evaluateRpo } from './rpo-verdict.js';
export { evaluateWorkloadLatency } from './workload-latency-verdict.js';
export { evaluateErrorRate } from './error-rate-verdict.js';
export { describeDurability, describeErrorRate, describeRpo } from './describe.js';
