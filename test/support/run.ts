// Runs an experiment in-process through the real engine and the real process driver.
import { silentLogger } from '../../src/domain/context.js';
import type { Journal } from '../../src/domain/model.js';
import { runHostCommand } from '../../src/drivers/host-command.js';
import { ProcessDriver } from '../../src/drivers/process/process-driver.js';
import { runExperiment, type RunRequest } from '../../src/engine/run-experiment.js';
import type { JournalListener } from '../../src/journal/recorder.js';
import { FaultProxy } from '../../src/proxy/index.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';
import { writeTemp } from './kv.js';

export async function runYaml(yaml: string, extra: Partial<RunRequest> & { listen?: JournalListener } = {}): Promise<Journal> {
  const file = writeTemp('experiment.yaml', yaml);
  const loaded = parseExperiment(yaml, file);
  const driver = new ProcessDriver({ baseDir: loaded.dir, clock: systemClock, createProxy: (rng) => new FaultProxy({ rng }) });
  return runExperiment({
    experiment: loaded.experiment,
    file: loaded.file,
    baseDir: loaded.dir,
    driver,
    clock: systemClock,
    log: silentLogger,
    runCommand: runHostCommand,
    faultlineVersion: 'test',
    ...extra,
  });
}

export function servicePids(j: Journal): number[] {
  return [...new Set(j.events.flatMap((e) => (e.type === 'service' && e.pid ? [e.pid] : [])))];
}
