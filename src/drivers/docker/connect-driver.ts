// The one-call way in for the CLI: resolve the engine address, ping it, wrap it in a driver.
import type { Clock } from '../../domain/context.js';
import { systemClock } from '../../runtime/system-clock.js';
import { dockerClient, pingEngine, type ConnectOptions } from './connect.js';
import { DockerDriver, type DockerDriverOptions } from './docker-driver.js';
import { removeStoppedHelpers } from './unstarted-helpers.js';

export async function connectDocker(opts: ConnectOptions & Omit<DockerDriverOptions, 'where' | 'localEngine'> & { clock?: Clock } = {}): Promise<DockerDriver> {
  const { docker, address } = dockerClient(opts);
  await pingEngine(docker, address.where, undefined, address.fix);
  // Every command that talks to the engine (run, plan, rollback, halt) first removes the helper
  // containers that dead runners left never started. Best effort: they are inert, and the next
  // command or holder tries again; a broken engine fails the command on its next call anyway.
  await removeStoppedHelpers(docker, (opts.clock ?? systemClock).now()).catch(() => undefined);
  const { host: _host, hostFrom: _hostFrom, env: _env, clock: _clock, ...driverOpts } = opts;
  return new DockerDriver(docker, { ...driverOpts, where: address.where, localEngine: address.local });
}
