// The defaults a user gets: with no image named anywhere (no spec.docker.holderImage, no
// FAULTLINE_DOCKER_*_IMAGE), a held fault needs the public default image. On an engine without it
// faultline pulls it on first use; where no registry answers (this machine has none) the run stops
// before touching anything, exit 3, naming the image, saying the registry could not be reached
// and what to do. Where the image is on the engine or a registry answers, the fault simply works.
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOOLS_IMAGE } from '../../src/drivers/docker/images.js';
import { runCli } from '../support/cli.js';
import { writeTemp } from '../support/kv.js';
import { Lab, ensureDocker } from './lab.js';

const lab = new Lab('dflt');
beforeAll(ensureDocker, 300_000);
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

/** The environment of a user who never named an image: the suite's own override removed. */
const NO_OVERRIDE = { FAULTLINE_DOCKER_HOLDER_IMAGE: undefined, FAULTLINE_DOCKER_HELPER_IMAGE: undefined };

describe('a held Docker fault with the default holder image (spawned CLI)', () => {
  it('works, or, with the image absent and no registry reachable, exits 3 before touching anything and says exactly what to do', async () => {
    const c = await lab.container({ name: 'victim' });
    const file = writeTemp(
      'default-holder.yaml',
      `apiVersion: faultline/v1
kind: Experiment
metadata: { name: default-holder }
spec:
  driver: docker
  targets:
    web: { selector: { name: "${c.Name.slice(1)}" } }
  faults:
    - pause: { target: web }
      for: 2s
`,
    );
    const r = await runCli(['run', file, '--out', dirname(file)], { cwd: dirname(file), env: NO_OVERRIDE });
    const holdersOfTarget = await lab.docker.listContainers({ all: true, filters: { label: [`faultline.target=${c.Id}`] } });
    expect(holdersOfTarget).toEqual([]);
    expect((await lab.docker.getContainer(c.Id).inspect()).State.Paused).toBe(false);
    if (r.code !== 3) {
      // The image was on the engine, or a registry answered: the pause was held and ended.
      expect(r.stdout + r.stderr).not.toMatch(/pulling it failed/);
      expect(r.stdout + r.stderr).toMatch(/pause/);
      return;
    }
    expect(r.stderr).toContain(`the holder image ${DEFAULT_TOOLS_IMAGE} (the default) is not present on the engine and pulling it failed: the registry could not be reached (`);
    expect(r.stderr).toContain('so nothing was injected');
    expect(r.stderr).toContain('`faultline images --pull`');
    expect(r.stderr).toContain('`faultline images --build-from-host`');
    expect(r.stderr).toContain('spec.docker.holderImage in the experiment file or FAULTLINE_DOCKER_HOLDER_IMAGE in the environment');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
