export { DockerDriver, DEFAULT_HELPER_IMAGE, DEFAULT_HOLDER_IMAGE } from './docker-driver.js';
export type { DockerDriverOptions } from './docker-driver.js';
export { connectDocker } from './connect-driver.js';
export { dockerClient, engineAddress, pingEngine } from './connect.js';
export type { ConnectOptions, EngineAddress } from './connect.js';
