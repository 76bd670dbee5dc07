// On an engine without the holder image a run names (as on a user's machine where the test images
// were never built), a held fault is pulled for on first use; where no registry answers (this
// machine has none) the run stops before anything is touched, exit 3, naming the image, the pull
// error, and how to prepare the image. A different image name stands in for "never built": the
// shared faultline-test/* images other suites need are left alone.
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeTemp } from '../support/kv.js';
import { ensureDocker } from './lab.js';

describe('a held Docker fault whose holder image is not on the engine (spawned CLI)', () => {
  it('tries to pull it and, with no registry reachable, says exactly what to do (exit 3)', async () => {
    await ensureDocker();
    const image = 'faultline-absent/nettools:never-built';
    const file = writeTemp(
      'missing-holder.yaml',
      `apiVersion: faultline/v1
kind: Experiment
metadata: { name: missing-holder }
spec:
  driver: docker
  docker: { helperImage: "${image}" }
  targets:
    web: { selector: { name: faultline-no-such-container } }
  probes:
    up: { tcp: { address: "127.0.0.1:9" } }
  faults:
    - loss: { target: web, percent: 50% }
      for: 1s
`,
    );
    const r = await runCli(['run', file], { cwd: dirname(file) });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`the holder image ${image} is not present on the engine and pulling it failed: `);
    // The pull error itself, as the engine gave it (no registry on this machine).
    expect(r.stderr).toMatch(/pulling it failed: [^.]*(registry|lookup|dial|connect|pull access denied|not found)/i);
    expect(r.stderr).toContain(`\`docker pull ${image}\``);
    expect(r.stderr).toContain('scripts/build-test-images.sh');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
