// `faultline images` against the real engine: the listing (which image, for what, set where,
// present or not), --pull's failure where no registry answers, and --build-from-host building an
// image from this host's binaries that held faults then work with, through the override.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOOLS_IMAGE, HOST_BUILT_REPO } from '../../src/drivers/docker/images.js';
import { faultOf, holdFor } from '../support/faults.js';
import { journalIn, runCli } from '../support/cli.js';
import { writeTemp } from '../support/kv.js';
import { Lab, TOOLS, ensureDocker } from './lab.js';

const lab = new Lab('imgs');
const BUILT_REPO = `faultline-test/host-built-${lab.runId}`;
const BUILT = `${BUILT_REPO}:latest`;
const STAND_IN = `${HOST_BUILT_REPO}:latest`;
beforeAll(ensureDocker, 300_000);
afterAll(async () => {
  await lab.cleanup();
  // Every tag of the image this file built (REPO:<content hash> and REPO:latest).
  for (const i of await lab.docker.listImages({ filters: { reference: [BUILT_REPO] } })) {
    for (const tag of i.RepoTags ?? []) await lab.docker.getImage(tag).remove().catch(() => undefined);
  }
  expect(await lab.docker.listImages({ filters: { reference: [BUILT_REPO] } })).toEqual([]);
  expect(await lab.leftovers()).toEqual([]);
});

describe('faultline images (spawned CLI)', { timeout: 240_000 }, () => {
  it('lists each image once with what it is for and where its name came from, and whether the engine has it', async () => {
    const absent = await runCli(['images'], { env: { FAULTLINE_DOCKER_HOLDER_IMAGE: undefined, FAULTLINE_DOCKER_HELPER_IMAGE: undefined } });
    expect(absent.code, absent.stderr).toBe(0);
    const present = (await lab.docker.listImages({ filters: { reference: [DEFAULT_TOOLS_IMAGE] } })).length > 0;
    expect(absent.stdout).toContain(`  ${present ? 'present' : 'MISSING'}  ${DEFAULT_TOOLS_IMAGE}\n`);
    expect(absent.stdout.match(/nicolaka\/netshoot/g)).toHaveLength(1);
    expect(absent.stdout).toMatch(/holder of pause, stop, cpu, switch outages \(needs sh, curl\); the default/);
    expect(absent.stdout).toMatch(/helper and holder of network faults \(needs sh, iptables, tc\); the default/);
    // An image --build-from-host made under its default name stands in for a missing default.
    const standIn = (await lab.docker.listImages({ filters: { reference: [STAND_IN] } })).length > 0;
    if (!present && !standIn) expect(absent.stdout).toMatch(/`faultline images --pull`.*`faultline images --build-from-host`/);
    if (!present && standIn) expect(absent.stdout).toContain(`runs use ${STAND_IN} in its place`);

    // The suite's own override (vitest.config.ts), and an experiment file's, which wins.
    const file = writeTemp('images.yaml', `apiVersion: faultline/v1\nkind: Experiment\nmetadata: { name: images }\nspec:\n  driver: docker\n  docker: { helperImage: "faultline-absent/helper:never" }\n  faults:\n    - pause: { target: web }\n      for: 1s\n  targets:\n    web: { selector: { name: x } }\n`);
    const set = await runCli(['images', file], { cwd: dirname(file) });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(new RegExp(`  present  ${TOOLS}\\n\\s+holder of pause.*; set by FAULTLINE_DOCKER_HOLDER_IMAGE\\n`));
    expect(set.stdout).toMatch(/  MISSING  faultline-absent\/helper:never\n\s+helper and holder of network faults.*; set by spec.docker.helperImage\n/);
  });

  it('--pull of an image no registry serves exits 3 with the reason and what to do', async () => {
    const r = await runCli(['images', '--pull'], { env: { FAULTLINE_DOCKER_HOLDER_IMAGE: 'faultline-absent/tools:never', FAULTLINE_DOCKER_HELPER_IMAGE: TOOLS } });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/could not pull faultline-absent\/tools:never: the registry (could not be reached|refused it) \(.+\)\. Do one of: .*`faultline images --build-from-host`.*FAULTLINE_DOCKER_HOLDER_IMAGE/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--build-from-host builds an image that held faults then work with, through the override', async () => {
    const r = await runCli(['images', '--build-from-host', '--tag', BUILT_REPO], { env: { FAULTLINE_DOCKER_HOLDER_IMAGE: undefined, FAULTLINE_DOCKER_HELPER_IMAGE: undefined } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`built ${BUILT}.`);
    expect(r.stdout).toContain(`export FAULTLINE_DOCKER_HOLDER_IMAGE=${BUILT} FAULTLINE_DOCKER_HELPER_IMAGE=${BUILT}`);

    // A pause held 2 s by the CLI, holder from the built image.
    const c = await lab.container({ name: 'victim' });
    const file = writeTemp('built.yaml', `apiVersion: faultline/v1\nkind: Experiment\nmetadata: { name: built }\nspec:\n  driver: docker\n  targets:\n    web: { selector: { name: "${c.Name.slice(1)}" } }\n  faults:\n    - pause: { target: web }\n      for: 2s\n`);
    const run = await runCli(['run', file, '--out', dirname(file)], { cwd: dirname(file), env: { FAULTLINE_DOCKER_HOLDER_IMAGE: BUILT, FAULTLINE_DOCKER_HELPER_IMAGE: BUILT } });
    expect(run.stdout + run.stderr).not.toMatch(/holder image|pulling it failed/);
    expect([0, 1]).toContain(run.code);
    expect((await lab.docker.getContainer(c.Id).inspect()).State.Paused).toBe(false);

    // Nobody reverts (faultline "died"): the built image's holders end a pause and a partition on their own.
    const d = lab.driver({ holderImage: BUILT, helperImage: BUILT, netns: 'helper', root: false });
    const a = await lab.container();
    const b = await lab.container();
    const [ta, tb] = [await lab.target(a), await lab.target(b)];
    await faultOf('pause').inject(ta, { params: { target: 'a' } as never, driver: d, groups: new Map([['a', [ta]]]) }, lab.ctx(), holdFor('pause', 3000));
    await faultOf('partition').inject(tb, { params: { from: 'b', to: 'a', direction: 'both' }, driver: d, groups: new Map([['b', [tb]], ['a', [ta]]]) }, lab.ctx(), holdFor('partition', 3000));
    expect((await lab.docker.getContainer(a.Id).inspect()).State.Paused).toBe(true);
    const holders = await lab.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${lab.runId}`, 'faultline.holder'] } });
    expect(holders.map((h) => h.Image).sort()).toEqual([BUILT, BUILT]);
    // Ended: unpaused, and no holder nor chain of the run left (the lab's own containers aside).
    await lab.until(async () => !(await lab.docker.getContainer(a.Id).inspect()).State.Paused && (await lab.leftovers()).every((l) => l.startsWith('container ')), 30_000);
  });
  it('with the default image missing, a run uses the image --build-from-host made under its default name, and says so', async (t) => {
    // Reported as skipped, not passed: with the default there, nothing stands in for it.
    if ((await lab.docker.listImages({ filters: { reference: [DEFAULT_TOOLS_IMAGE] } })).length > 0) t.skip();
    // The suite's own tools image is what --build-from-host makes (same script, same label): tagged
    // under the default name for this test, unless a user's own is already there.
    const hadOwn = (await lab.docker.listImages({ filters: { reference: [STAND_IN] } })).length > 0;
    if (!hadOwn) await lab.docker.getImage(TOOLS).tag({ repo: HOST_BUILT_REPO, tag: 'latest' });
    try {
      const listed = await runCli(['images'], { env: { FAULTLINE_DOCKER_HOLDER_IMAGE: undefined, FAULTLINE_DOCKER_HELPER_IMAGE: undefined } });
      expect(listed.stdout).toContain(`  MISSING  ${DEFAULT_TOOLS_IMAGE}\n`);
      expect(listed.stdout).toContain(`runs use ${STAND_IN} in its place`);
      expect(listed.stdout).not.toMatch(/stops before touching anything/);

      const c = await lab.container({ name: 'stand-in-victim' });
      const file = writeTemp('stand-in.yaml', `apiVersion: faultline/v1\nkind: Experiment\nmetadata: { name: stand-in }\nspec:\n  driver: docker\n  targets:\n    web: { selector: { name: "${c.Name.slice(1)}" } }\n  faults:\n    - pause: { target: web }\n      for: 1s\n`);
      const outDir = mkdtempSync(join(tmpdir(), 'faultline-stand-in-'));
      const run = await runCli(['run', file, '--out', outDir], { cwd: dirname(file), env: { FAULTLINE_DOCKER_HOLDER_IMAGE: undefined, FAULTLINE_DOCKER_HELPER_IMAGE: undefined } });
      const out = run.stdout + run.stderr;
      expect(out).toContain(`the default holder image ${DEFAULT_TOOLS_IMAGE} is not on the engine: using ${STAND_IN}`);
      expect(out).not.toMatch(/pulling it failed/);
      expect([0, 1], out).toContain(run.code);
      expect(journalIn(outDir).events.filter((e) => e.type === 'inject').map((e) => (e as { ok?: boolean }).ok)).toEqual([true]);
      rmSync(outDir, { recursive: true, force: true });
      expect((await lab.docker.getContainer(c.Id).inspect()).State.Paused).toBe(false);
    } finally {
      if (!hadOwn) await lab.docker.getImage(STAND_IN).remove({ noprune: true }).catch(() => undefined);
    }
  });
});
