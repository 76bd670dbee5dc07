// A single run's verdict metrics pushed to a Prometheus Pushgateway, under the same names as the
// scheduler's (ScheduleMetrics), so one dashboard or alert rule reads both. The group is
// job="faultline", experiment=<name>, replaced by each push: it holds the experiment's last run.
import { Pushgateway, Registry } from 'prom-client';
import type { Journal } from '../domain/model.js';
import { ScheduleMetrics } from '../schedule/metrics.js';

/** The scheduler's metrics about the schedule itself, which a single run has nothing to say about. */
const SCHEDULE_ONLY = new Set(['faultline_schedule_skipped_total', 'faultline_schedule_next_run_timestamp_seconds', 'faultline_schedule_state']);

export const PUSHGATEWAY_JOB = 'faultline';
export const PUSHGATEWAY_TIMEOUT_MS = 5000;

/** Pushes the run's metrics; returns a warning when the Pushgateway could not take them. */
export async function pushRunMetrics(url: string, j: Journal, timeoutMs = PUSHGATEWAY_TIMEOUT_MS): Promise<string[]> {
  const registry = runRegistry(j);
  const gateway = new Pushgateway(url, { timeout: timeoutMs }, registry);
  try {
    await gateway.push({ jobName: PUSHGATEWAY_JOB, groupings: { experiment: j.experiment.name } });
    return [];
  } catch (e) {
    return [`could not push the run's metrics to the Pushgateway at ${url}: ${e instanceof Error ? e.message : String(e)}`];
  }
}

/** The run's metrics, as the scheduler would have counted this one run. */
export function runRegistry(j: Journal): Registry {
  const metrics = new ScheduleMetrics();
  metrics.events().finished?.(j.experiment.name, j);
  const registry = new Registry();
  for (const { name } of metrics.registry.getMetricsAsArray()) {
    const metric = metrics.registry.getSingleMetric(name);
    if (metric && !SCHEDULE_ONLY.has(name)) registry.registerMetric(metric);
  }
  return registry;
}
