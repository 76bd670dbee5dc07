// The images held Docker faults need: which names are in force (driver option, experiment file,
// environment, default), whether the engine has them, and the two ways to get them ahead of a run
// (`faultline images`): pull, or build an equivalent one from this host's binaries.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { EnvironmentError } from '../../domain/errors.js';
import { runHostCommand } from '../host-command.js';
import { isNotFound } from './errors.js';

/**
 * The default for both kinds of holder and for the namespace helper: one public image with sh,
 * curl, iptables (both the nf_tables and the legacy backend), tc and ip, so a user needs one pull.
 * nicolaka/netshoot is the network troubleshooting image most operators already trust, and the
 * Kubernetes driver's default helper, so both drivers need the same image. Pinned by its release
 * tag, not a digest: a digest cannot be verified from where this is written (no registry), and
 * a mirror for an air-gapped site re-tags it anyway. Not small (it carries many tools); sites that
 * mind build a small one from the host with `faultline images --build-from-host`.
 */
export const DEFAULT_TOOLS_IMAGE = 'nicolaka/netshoot:v0.13';
export const HOLDER_IMAGE_ENV = 'FAULTLINE_DOCKER_HOLDER_IMAGE';
export const HELPER_IMAGE_ENV = 'FAULTLINE_DOCKER_HELPER_IMAGE';
/** What `faultline images --build-from-host` tags its image as, unless told otherwise. */
export const HOST_BUILT_REPO = 'faultline-local/tools';
/** The label scripts/host-images.sh puts on every image it builds. */
const HOST_BUILT_LABEL = 'faultline.built-from-host';

export interface ImageChoice {
  image: string;
  /** Where the name came from, for messages: "default", "FAULTLINE_DOCKER_HOLDER_IMAGE", "spec.docker.holderImage". */
  from: string;
}

export interface DockerImages {
  /** Ends pause, stop, cpu and switch outages through the engine's socket: needs sh and curl. */
  holder: ImageChoice;
  /** Ends (and, without nsenter, injects) network faults in a namespace: needs sh, iptables and tc. */
  helper: ImageChoice;
}

/** The names in force: the experiment file's (or a library caller's), else the environment's, else the default. */
export function chooseImages(given: { holderImage?: string | undefined; helperImage?: string | undefined; holderFrom?: string; helperFrom?: string }, env: NodeJS.ProcessEnv = process.env): DockerImages {
  const pick = (value: string | undefined, valueFrom: string, envName: string): ImageChoice => {
    if (value) return { image: value, from: valueFrom };
    const fromEnv = env[envName];
    if (fromEnv) return { image: fromEnv, from: envName };
    return { image: DEFAULT_TOOLS_IMAGE, from: 'default' };
  };
  return {
    holder: pick(given.holderImage, given.holderFrom ?? 'spec.docker.holderImage', HOLDER_IMAGE_ENV),
    helper: pick(given.helperImage, given.helperFrom ?? 'spec.docker.helperImage', HELPER_IMAGE_ENV),
  };
}

/**
 * What to tell a user whose engine lacks `image` (used as `role`). `pulled`: they just ran
 * `faultline images --pull`, so pulling again is no advice.
 */
export function howToGet(image: string, role: 'holder' | 'helper', pulled = false): string {
  const field = role === 'holder' ? 'spec.docker.holderImage' : 'spec.docker.helperImage';
  const envName = role === 'holder' ? HOLDER_IMAGE_ENV : HELPER_IMAGE_ENV;
  const pull = pulled
    ? `copy it from a machine that has it (\`docker save ${image}\`, then \`docker load\` here); `
    : `run \`faultline images --pull\` where a registry is reachable (then \`docker save ${image}\` and \`docker load\` it onto an air-gapped engine); `;
  return (
    `Do one of: ${pull}` +
    `run \`faultline images --build-from-host\` to build an equivalent image from this machine's binaries; ` +
    `or name an image the engine has with ${field} in the experiment file or ${envName} in the environment.`
  );
}

/**
 * The image `faultline images --build-from-host` made on this engine under its default name, if
 * there is one: where the default image is missing, that is what the user meant to run with (the
 * error for a missing default tells them to build it), so held faults use it in its place.
 */
export async function hostBuiltStandIn(docker: Dockerode): Promise<string | undefined> {
  const image = `${HOST_BUILT_REPO}:latest`;
  try {
    const info = await docker.getImage(image).inspect();
    return info.Config?.Labels?.[HOST_BUILT_LABEL] === '1' ? image : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function imagePresent(docker: Dockerode, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Whether a pull failed because no registry answered (DNS, connection, timeout), not because it refused. */
export function registryUnreachable(message: string): boolean {
  return /dial tcp|lookup |no such host|connection refused|network is unreachable|i\/o timeout|timeout|TLS handshake|EOF|proxyconnect/i.test(message);
}

/** "the registry could not be reached" or "the registry refused it", with the engine's own words. */
export function pullFailure(message: string): string {
  // dockerode prefixes the engine's words with its own "(HTTP code 500) server error - ".
  const engine = message.replace(/^\(HTTP code \d+\)[^-]*- /, '').trim();
  return `${registryUnreachable(engine) ? 'the registry could not be reached' : 'the registry refused it'} (${engine})`;
}

const HOST_IMAGES_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'host-images.sh');

/**
 * Builds an image with sh, curl, iptables, tc and ip from this host's binaries (`tar | docker
 * import`, no registry) with the same script that builds the test suite's image, and returns its
 * name. `dockerHost` points the docker CLI the script runs at the same engine.
 */
export async function buildToolsFromHost(repo: string, dockerHost: string | undefined): Promise<string> {
  const env = { ...process.env, ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}) };
  const r = await runHostCommand(['bash', HOST_IMAGES_SCRIPT, 'tools', repo], { timeoutMs: 300_000, env });
  if (r.code !== 0) {
    throw new EnvironmentError(`could not build ${repo} from this host's binaries: ${(r.error ?? r.stderr).trim() || `exit ${r.code}`}. It needs bash, the docker CLI, busybox, curl, iptables and iproute2 on this machine.`);
  }
  return r.stdout.trim().split('\n').pop()!;
}
