// Every run whose driver can reap (Kubernetes) first reaps expired faultline objects in the namespaces its experiment uses,
// so a fault left by a runner that died is gone by the next run even without the reap CronJob.
// Best effort: a cluster that refuses is a warning, never a reason not to run.
import type { Logger, RunContext } from '../domain/context.js';
import type { Experiment } from '../domain/experiment.js';
import type { Driver } from '../drivers/driver.js';
import { randomStream } from '../runtime/random.js';
import { systemClock } from '../runtime/system-clock.js';

export async function reapExpiredBeforeRun(driver: Driver, experiment: Experiment, log: Logger): Promise<void> {
  if (!driver.reapExpired) return;
  const ctx: RunContext = { clock: systemClock, signal: new AbortController().signal, log, runId: 'reap', rng: randomStream('reap', 'reap') };
  try {
    driver.configure?.(experiment);
    const r = await driver.reapExpired(ctx);
    if (r.note) log.warn(`reaping expired faultline objects: ${r.note}`);
    for (const line of r.removed) log.info(`reaped ${line}`);
    for (const line of r.failed) log.warn(`could not reap expired ${line}`);
  } catch (e) {
    log.warn(`could not reap expired faultline objects before the run (${e instanceof Error ? e.message : String(e)}); the run goes on, \`faultline reap\` retries`);
  }
}
