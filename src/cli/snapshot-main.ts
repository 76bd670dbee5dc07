// The start-up snapshot's entry (docs/start-up.md). scripts/build-snapshot.mjs bundles this module
// with everything it reaches, and Node evaluates the bundle once, at build or install time, and
// saves the heap: `run`, `validate` and `plan` then start from that heap instead of loading and
// evaluating zod, yaml, commander, the schemas and the engine on every call (~250 ms of CPU here).
// What is evaluated here must not hold what a heap cannot keep (sockets, timers, native handles,
// the time, the environment): those are read when a command runs, never when a module loads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { systemClock } from '../runtime/system-clock.js';
import { loadFileText } from '../spec/load-file.js';
import { main } from './main.js';
import './plan-command.js';
import './run-command.js';
import './validate-command.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Validates the package's own example experiments once, so that what zod and yaml build on first
 * use (zod compiles each schema's parser when it first parses) is part of the heap. Schedules and
 * scenarios are left out: their time-zone handling creates objects a snapshot cannot hold.
 */
async function warmUp(): Promise<void> {
  for (const dir of ['examples', 'experiments']) {
    let files: string[];
    try {
      files = readdirSync(join(PACKAGE_ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    } catch {
      continue;
    }
    for (const f of files) {
      const text = readFileSync(join(PACKAGE_ROOT, dir, f), 'utf8');
      if (!/^kind:\s*Experiment\s*$/m.test(text)) continue;
      await loadFileText(text, f, systemClock.now()).catch(() => undefined);
    }
  }
}

/**
 * Evaluates the Docker driver and dockerode (which the bundle carries: scripts/build-snapshot.mjs)
 * into the heap. A Docker run loads them on its way to the first fault, ~40 ms of CPU otherwise.
 */
async function warmUpDocker(): Promise<void> {
  const { loadDockerode } = await import('../drivers/docker/load-dockerode.js');
  await import('../drivers/docker/index.js');
  loadDockerode();
}

if (v8.startupSnapshot.isBuildingSnapshot()) {
  void warmUp().then(warmUpDocker);
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    // A process started from a snapshot has no script in its argv: the user's arguments start at [1].
    void main([process.argv[0]!, 'faultline', ...process.argv.slice(1)]).then((code) => (process.exitCode = code));
  });
}
