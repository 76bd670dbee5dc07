// The one-call way in for the CLI: resolve the engine address, ping it, wrap it in a driver.
import { dockerClient, pingEngine, type ConnectOptions } from './connect.js';
import { DockerDriver, type DockerDriverOptions } from './docker-driver.js';

export async function connectDocker(opts: ConnectOptions & Omit<DockerDriverOptions, 'where' | 'localEngine'> = {}): Promise<DockerDriver> {
  const { docker, address } = dockerClient(opts);
  await pingEngine(docker, address.where);
  const { host: _host, env: _env, ...driverOpts } = opts;
  return new DockerDriver(docker, { ...driverOpts, where: address.where, localEngine: address.local });
}
