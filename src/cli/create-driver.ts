// The only place concrete drivers are constructed. Docker and Kubernetes are imported lazily so
// that `validate` and process runs never load their SDKs.
import type { Clock } from '../domain/context.js';
import type { Experiment } from '../domain/experiment.js';
import type { Driver } from '../drivers/driver.js';
import { ProcessDriver } from '../drivers/process/process-driver.js';
import { FaultProxy } from '../proxy/index.js';

export interface DriverOptions {
  baseDir: string;
  clock: Clock;
  logDir?: string;
  dockerHost?: string;
  kubeContext?: string;
}

export async function createDriver(experiment: Experiment, opts: DriverOptions): Promise<Driver> {
  switch (experiment.spec.driver) {
    case 'process':
      return new ProcessDriver({
        baseDir: opts.baseDir,
        clock: opts.clock,
        createProxy: (rng) => new FaultProxy({ rng }),
        ...(opts.logDir ? { logDir: opts.logDir } : {}),
      });
    case 'docker': {
      const { createDockerDriver } = await import('./docker-driver.js');
      return createDockerDriver(experiment, opts);
    }
    case 'kubernetes': {
      const { createKubernetesDriver } = await import('./kubernetes-driver.js');
      return createKubernetesDriver(experiment, opts);
    }
  }
}
