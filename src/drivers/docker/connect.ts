// Where the Docker engine is and how to reach it: --docker-host, then DOCKER_HOST (unix or tcp, TLS
// from DOCKER_CERT_PATH / DOCKER_TLS_VERIFY), then the default socket. One place decides, so the
// error for an unreachable engine can name exactly where faultline looked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { EnvironmentError } from '../../domain/errors.js';
import { loadDockerode } from './load-dockerode.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface EngineAddress {
  options: Dockerode.DockerOptions;
  /** Human form, e.g. "unix:///var/run/docker.sock (default)" or "tcp://10.0.0.5:2376 (DOCKER_HOST, TLS)". */
  where: string;
  /** True when the engine runs on this machine, so its container pids are ours to nsenter. */
  local: boolean;
  /** What to do when nothing answers there, naming the setting that chose the address. */
  fix?: string;
}

export interface ConnectOptions {
  /** --docker-host or spec.docker.host; wins over DOCKER_HOST. */
  host?: string;
  /** Where `host` came from, for messages. Default "--docker-host". */
  hostFrom?: string;
  env?: NodeJS.ProcessEnv;
}

export function engineAddress(opts: ConnectOptions = {}): EngineAddress {
  const env = opts.env ?? process.env;
  const fromFlag = opts.host !== undefined && opts.host !== '';
  const raw = fromFlag ? opts.host! : env.DOCKER_HOST;
  const origin = fromFlag ? (opts.hostFrom ?? '--docker-host') : raw ? 'DOCKER_HOST' : 'default';
  const fix = fixFor(origin);
  if (!raw) return { options: { socketPath: DEFAULT_SOCKET }, where: `unix://${DEFAULT_SOCKET} (default)`, local: true, fix };
  if (raw.startsWith('unix://') || raw.startsWith('/')) {
    const socketPath = raw.startsWith('unix://') ? raw.slice('unix://'.length) || DEFAULT_SOCKET : raw;
    return { options: { socketPath }, where: `unix://${socketPath} (${origin})`, local: true, fix };
  }
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `tcp://${raw}`);
  } catch {
    throw new EnvironmentError(`${origin} is "${raw}", which is not a Docker address: use unix:///path/docker.sock or tcp://host:port`);
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EnvironmentError(`${origin} is "${raw}": faultline supports unix:// and tcp:// Docker hosts`);
  }
  const tls = env.DOCKER_TLS_VERIFY === '1' || url.protocol === 'https:' || url.port === '2376';
  const port = url.port || (tls ? '2376' : '2375');
  const options: Dockerode.DockerOptions = { host: url.hostname, port, protocol: tls ? 'https' : 'http' };
  if (tls && env.DOCKER_CERT_PATH) {
    try {
      options.ca = readFileSync(join(env.DOCKER_CERT_PATH, 'ca.pem'));
      options.cert = readFileSync(join(env.DOCKER_CERT_PATH, 'cert.pem'));
      options.key = readFileSync(join(env.DOCKER_CERT_PATH, 'key.pem'));
    } catch (err) {
      throw new EnvironmentError(`cannot read the TLS files in DOCKER_CERT_PATH=${env.DOCKER_CERT_PATH}: ${(err as Error).message}`);
    }
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return { options, where: `tcp://${url.hostname}:${port} (${origin}${tls ? ', TLS' : ''})`, local: loopback, fix };
}

function fixFor(origin: string): string {
  if (origin === 'default') return 'Start Docker, or point --docker-host / DOCKER_HOST at a running engine.';
  if (origin === 'DOCKER_HOST') return 'Start Docker there, or point DOCKER_HOST (or --docker-host) at a running engine.';
  if (origin === '--docker-host') return 'Start Docker there, or point --docker-host at a running engine.';
  return `Start Docker there, or change ${origin} (--docker-host overrides it).`;
}

/** Pings the engine; an engine that does not answer becomes one EnvironmentError naming where we looked. */
export async function pingEngine(docker: Dockerode, where: string, timeoutMs = 5000, fix = fixFor('default')): Promise<void> {
  const timeout = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${timeoutMs}ms`)), timeoutMs);
    t.unref();
  });
  try {
    await Promise.race([docker.ping(), timeout]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no socket there' : e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new EnvironmentError(`cannot reach the Docker engine at ${where}: ${why}. ${fix}`);
  }
}

/** A Dockerode client for the resolved address, plus that address (not yet pinged). */
export function dockerClient(opts: ConnectOptions = {}): { docker: Dockerode; address: EngineAddress } {
  const address = engineAddress(opts);
  const Client = loadDockerode();
  return { docker: new Client(address.options), address };
}
