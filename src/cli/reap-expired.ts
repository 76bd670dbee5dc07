// Every Kubernetes run first reaps expired faultline objects in the namespaces its experiment uses,
// so a fault left by a runner that died is gone by the next run even without the reap CronJob.
// Best effort: a cluster that refuses is a warning, never a reason not to run.
import type { Logger, RunContext } from '../domain/context.js';
import type { Experiment } from '../domain/experiment.js';
import type { Driver } from '../drivers/driver.js';
import type { KubernetesDriver } from '../drivers/kubernetes/kubernetes-driver.js';
import { randomStream } from '../runtime/random.js';
import { systemClock } from '../runtime/system-clock.js';

export async function reapExpiredBeforeRun(driver: Driver, experiment: Experiment, log: Logger): Promise<void> {
  if (driver.name !== 'kubernetes') return;
  const k = driver as KubernetesDriver;
  const ctx: RunContext = { clock: systemClock, signal: new AbortController().signal, log, runId: 'reap', rng: randomStream('reap', 'reap') };
  try {
    // The Kubernetes modules are loaded only here, so a process or Docker run never pays for them.
    const { describeLeftover } = await import('../drivers/kubernetes/rollback.js');
    k.configure(experiment);
    const namespaces = k.experimentNamespaces();
    const r = await k.reap(namespaces ? { namespaces } : {}, ctx);
    if (r.note) log.warn(`reaping expired faultline objects: ${r.note}`);
    for (const l of r.removed) log.info(`reaped ${describeLeftover(l)}: run ${l.runId ?? 'unknown'} left it, expired ${l.expiresAt}`);
    for (const f of r.failed) log.warn(`could not reap expired ${describeLeftover(f.leftover)}: ${f.error}`);
  } catch (e) {
    log.warn(`could not reap expired faultline objects before the run (${e instanceof Error ? e.message : String(e)}); the run goes on, \`faultline reap\` retries`);
  }
}
