// The only place concrete drivers are constructed. Docker and Kubernetes are imported lazily so
// that `validate` and process runs never load their SDKs. A driver can be built from an
// experiment (run, plan) or from the settings a ledger recorded (rollback, halt).
import type { Clock } from '../domain/context.js';
import type { Experiment } from '../domain/experiment.js';
import type { DriverName } from '../domain/model.js';
import type { Driver } from '../drivers/driver.js';
import { ProcessDriver } from '../drivers/process/process-driver.js';
import { FaultProxy } from '../proxy/index.js';

export interface DriverOptions {
  baseDir: string;
  clock: Clock;
  logDir?: string;
  /** Applied to service output before it is written to the run directory. */
  redact?: (text: string) => string;
  /** --docker-host, else spec.docker.host. */
  dockerHost?: string;
  /** Where dockerHost came from, for messages: "--docker-host" (the default), "spec.docker.host at x.yaml:7:11", a run's ledger. */
  dockerHostFrom?: string;
  /** --context, else spec.kubernetes.context. */
  kubeContext?: string;
  /** Where kubeContext came from, like dockerHostFrom. */
  kubeContextFrom?: string;
  /** Where a setting is in the experiment file (LoadedExperiment.where), so messages can name it. */
  where?: (path: readonly (string | number)[]) => string;
  kubeconfig?: string;
  dockerNetns?: 'auto' | 'nsenter' | 'helper';
  helperImage?: string;
  /** spec.docker.holderImage (else the driver reads FAULTLINE_DOCKER_HOLDER_IMAGE). */
  holderImage?: string;
}

/** Settings worth recording in a ledger so rollback can reach the same world again. */
export function driverSettings(experiment: Experiment, opts: DriverOptions): Record<string, string> {
  const s: Record<string, string> = {};
  const host = opts.dockerHost ?? experiment.spec.docker?.host;
  const context = opts.kubeContext ?? experiment.spec.kubernetes?.context;
  if (host) s.dockerHost = host;
  if (context) s.kubeContext = context;
  if (opts.kubeconfig) s.kubeconfig = opts.kubeconfig;
  return s;
}

export function createDriverFor(experiment: Experiment, opts: DriverOptions): Promise<Driver> {
  const spec = experiment.spec;
  // An unreachable engine or unknown context must blame the setting that named it, not a flag nobody passed.
  const fromFile = (path: string[]) => `${path.join('.')}${opts.where ? ` at ${opts.where(path)}` : ' in the experiment file'}`;
  return createDriver(spec.driver, {
    ...opts,
    ...(!opts.dockerHost && spec.docker?.host ? { dockerHostFrom: fromFile(['spec', 'docker', 'host']) } : {}),
    ...(!opts.kubeContext && spec.kubernetes?.context ? { kubeContextFrom: fromFile(['spec', 'kubernetes', 'context']) } : {}),
    ...(opts.dockerHost ?? spec.docker?.host ? { dockerHost: opts.dockerHost ?? spec.docker?.host } : {}),
    ...(opts.kubeContext ?? spec.kubernetes?.context ? { kubeContext: opts.kubeContext ?? spec.kubernetes?.context } : {}),
    ...(spec.docker?.netns ? { dockerNetns: spec.docker.netns } : {}),
    ...(spec.docker?.helperImage ?? spec.kubernetes?.helperImage ? { helperImage: spec.docker?.helperImage ?? spec.kubernetes?.helperImage } : {}),
    ...(spec.docker?.holderImage ? { holderImage: spec.docker.holderImage } : {}),
  });
}

export async function createDriver(name: DriverName, opts: DriverOptions): Promise<Driver> {
  switch (name) {
    case 'process':
      return new ProcessDriver({
        baseDir: opts.baseDir,
        clock: opts.clock,
        createProxy: (rng) => new FaultProxy({ rng }),
        ...(opts.logDir ? { logDir: opts.logDir } : {}),
        ...(opts.redact ? { redact: opts.redact } : {}),
      });
    case 'docker': {
      const { connectDocker } = await import('../drivers/docker/index.js');
      return connectDocker({
        clock: opts.clock,
        ...(opts.dockerHost ? { host: opts.dockerHost } : {}),
        ...(opts.dockerHost && opts.dockerHostFrom ? { hostFrom: opts.dockerHostFrom } : {}),
        ...(opts.dockerNetns ? { netns: opts.dockerNetns } : {}),
        ...(opts.helperImage ? { helperImage: opts.helperImage } : {}),
        ...(opts.holderImage ? { holderImage: opts.holderImage } : {}),
      });
    }
    case 'kubernetes': {
      const [{ KubernetesDriver }, { loadKubeConfig }] = await Promise.all([
        import('../drivers/kubernetes/kubernetes-driver.js'),
        import('../drivers/kubernetes/load-kubeconfig.js'),
      ]);
      const loaded = loadKubeConfig({
        ...(opts.kubeContext ? { context: opts.kubeContext, contextFrom: opts.kubeContextFrom ?? '--context' } : {}),
        ...(opts.kubeconfig ? { kubeconfigPath: opts.kubeconfig } : {}),
      });
      return new KubernetesDriver({ kubeConfig: loaded.kubeConfig, ...(opts.helperImage ? { helperImage: opts.helperImage } : {}) });
    }
  }
}
