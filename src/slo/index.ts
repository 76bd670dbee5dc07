// Pure SLO maths: samples x objectives -> verdicts, plus the in-flight checks the engine aborts on.
export { evaluate } from './evaluate.js';
export { notJudged } from './not-judged.js';
export { cutShort } from './cut-short.js';
export { evaluateRecovery, recoveryPoint } from './recovery.js';
export { evaluateAvailability } from './availability.js';
export { evaluateLatency } from './latency.js';
export { alertsFiring, describeDetection, detectionProgress, evaluateDetection, firingIn, type DetectionProgress } from './detection.js';
export { describeHumanDetection, evaluateHumanDetection, type LogbookMarks } from './human-detection.js';
export { describeCount, evaluateCount, violations } from './count.js';
export { failingFor, objectiveIrrecoverable } from './abort.js';
export { percentile, summarize, PERCENTILE_KEYS, PERCENTILE_OF, type PercentileKey, type SampleSummary } from './percentile.js';
export { faultInstant, firstInjection, referenceInstant, type Reference } from './reference.js';
export { objectiveProbe } from './select.js';
export { describeAvailability, describeLatency, describeRecovery, formatPercent } from './describe.js';
export type { EvaluationInput, FaultRecord, Window, RecoverySpec, AvailabilitySpec, LatencySpec, ProbeLatencySpec, WorkloadLatencySpec, DurabilitySpec, RpoSpec, ErrorRateSpec } from './types.js';
