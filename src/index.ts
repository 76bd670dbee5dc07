// faultline's public library API: re-exports only.
export * from './domain/experiment.js';
export type { Target as Victim, Sample, Journal, JournalEvent, ObjectiveVerdict, RunStatus, Phase, DriverName, JsonValue } from './domain/model.js';
export type { Clock, Logger, RunContext } from './domain/context.js';
export { FaultlineError, InvalidInputError, EnvironmentError, formatDiagnostic, type Diagnostic } from './domain/errors.js';
export { parseDuration, formatDuration, parsePercent, parseRate } from './domain/units.js';
export type { Driver, LifecycleActions, NetworkActions, Impairment, RevertResult, ProbeRunner } from './drivers/driver.js';
export { bindFaults, type DriverFault, type DriverFaults, type FaultArgs, type FaultHandler } from './drivers/fault-handler.js';
export { ProcessDriver, type ProcessDriverOptions } from './drivers/process/process-driver.js';
export { runHostCommand } from './drivers/process/host-command.js';
export { runExperiment, type RunRequest } from './engine/run-experiment.js';
export { planExperiment, type Plan } from './engine/plan.js';
export { exitCodeOf, EXIT } from './engine/outcome.js';
export { loadExperiment, parseExperiment, type LoadedExperiment } from './spec/load-experiment.js';
export { evaluate } from './slo/index.js';
export { renderJUnit, renderMarkdown, renderHtml, renderVerdictTable } from './report/index.js';
export { renderPlan } from './report/plan-text.js';
export { FaultProxy } from './proxy/index.js';
export { systemClock } from './runtime/system-clock.js';
