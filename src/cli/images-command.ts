// `faultline images`: the images held Docker faults need (their holders, and the helper that enters
// network namespaces without nsenter), whether the engine has each, and the two ways to get them
// before a run: `--pull` from a registry, or `--build-from-host` for an air-gapped site.
import { EnvironmentError } from '../domain/errors.js';
import type { DockerImages, ImageChoice } from '../drivers/docker/images.js';
import { loadExperiment } from '../spec/load-experiment.js';
import type { Terminal } from './terminal.js';

export interface ImagesOptions {
  pull?: boolean;
  buildFromHost?: boolean;
  /** The repository --build-from-host tags (REPO:latest). */
  tag?: string;
  dockerHost?: string;
}

const ROLES = {
  holder: 'holder of pause, stop, cpu, switch outages (needs sh, curl)',
  helper: 'helper and holder of network faults (needs sh, iptables, tc)',
} as const;

export async function imagesCommand(file: string | undefined, o: ImagesOptions, term: Terminal): Promise<number> {
  const loaded = file ? await loadExperiment(file) : undefined;
  const settings = loaded?.experiment.spec.docker;
  const [{ dockerClient, pingEngine }, images, { pullImage }] = await Promise.all([import('../drivers/docker/connect.js'), import('../drivers/docker/images.js'), import('../drivers/docker/pull-image.js')]);
  const host = o.dockerHost ?? settings?.host;
  const { docker, address } = dockerClient({ ...(host ? { host, hostFrom: o.dockerHost ? '--docker-host' : `spec.docker.host at ${loaded!.where(['spec', 'docker', 'host'])}` } : {}) });
  await pingEngine(docker, address.where, undefined, address.fix);
  const chosen = images.chooseImages({ holderImage: settings?.holderImage, helperImage: settings?.helperImage });

  if (o.buildFromHost) {
    const repo = o.tag ?? images.HOST_BUILT_REPO;
    term.err(`building ${repo} from this host's binaries (busybox, curl, iptables, tc, ip)...`);
    const built = await images.buildToolsFromHost(repo, host);
    if (repo === images.HOST_BUILT_REPO) term.out(`built ${built}. Held faults use it on this engine wherever the default image (${images.DEFAULT_TOOLS_IMAGE}) is missing. To name it wherever it runs (an experiment file's spec.docker.holderImage / helperImage win over these):`);
    else term.out(`built ${built}. Point faultline at it (an experiment file's spec.docker.holderImage / helperImage win over these):`);
    term.out(`  export ${images.HOLDER_IMAGE_ENV}=${built} ${images.HELPER_IMAGE_ENV}=${built}`);
  }

  for (const [image, roles] of byImage(chosen)) {
    if (!o.pull || (await images.imagePresent(docker, image))) continue;
    term.err(`pulling ${image}`);
    try {
      await pullImage(docker, image, (line) => term.err(`  ${line}`));
    } catch (err) {
      throw new EnvironmentError(`could not pull ${image}: ${images.pullFailure(err instanceof Error ? err.message : String(err))}. ${images.howToGet(image, roles[0]!.role, true)}`);
    }
  }

  term.out(`Images held Docker faults need, on ${address.where}:`);
  let missing = 0;
  const standIn = await images.hostBuiltStandIn(docker);
  for (const [image, roles] of byImage(chosen)) {
    const present = await images.imagePresent(docker, image);
    // A run uses the host-built image in place of a missing default (docker-driver.ts).
    const replaced = !present && standIn !== undefined && roles.every((r) => r.from === 'default');
    if (!present && !replaced) missing++;
    term.out(`  ${present ? 'present' : 'MISSING'}  ${image}`);
    for (const r of roles) term.out(`           ${ROLES[r.role]}; ${r.from === 'default' ? 'the default' : `set by ${r.from}`}`);
    if (replaced) term.out(`           runs use ${standIn} in its place: built on this engine by \`faultline images --build-from-host\``);
  }
  if (missing > 0) {
    term.out(
      'A held Docker fault stops before touching anything while its image is missing. Get it with `faultline images --pull` where a registry is reachable, ' +
        "build one from this machine's binaries with `faultline images --build-from-host`, or name images the engine has with " +
        `spec.docker.holderImage / helperImage in the experiment file or ${images.HOLDER_IMAGE_ENV} / ${images.HELPER_IMAGE_ENV} in the environment.`,
    );
  }
  return 0;
}

/** Each distinct image once, with the roles it plays: one image usually serves both. */
function byImage(chosen: DockerImages): Map<string, { role: keyof DockerImages; from: string }[]> {
  const m = new Map<string, { role: keyof DockerImages; from: string }[]>();
  for (const role of ['holder', 'helper'] as const) {
    const c: ImageChoice = chosen[role];
    m.set(c.image, [...(m.get(c.image) ?? []), { role, from: c.from }]);
  }
  return m;
}
