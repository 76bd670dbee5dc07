import { FaultlineError } from '../domain/errors.js';
import { printable } from '../domain/printable.js';
import { systemClock } from '../runtime/system-clock.js';
import { loadFile, type LoadedFile } from '../spec/load-file.js';
import type { Terminal } from './terminal.js';

/** Validates every file, experiment or schedule (all of them, even after a failure), and reports each. */
export async function validateCommand(files: string[], term: Terminal): Promise<number> {
  let bad = 0;
  for (const file of files) {
    try {
      term.out(`ok  ${file} (${summary(await loadFile(file, systemClock.now()))})`);
    } catch (e) {
      if (!(e instanceof FaultlineError)) throw e;
      bad++;
      term.err(printable(e.message));
    }
  }
  if (files.length > 1) term.out(`${files.length - bad} valid, ${bad} invalid`);
  return bad ? 2 : 0;
}

function summary(loaded: LoadedFile): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (loaded.kind === 'Schedule') {
    const { schedule, experiments } = loaded.schedule;
    return `schedule ${schedule.metadata.name}, ${plural(experiments.length, 'experiment')}: ${experiments.map((e) => e.experiment.metadata.name).join(', ')}`;
  }
  const { experiment } = loaded.experiment;
  return `${experiment.metadata.name}, ${experiment.spec.driver} driver, ${plural(experiment.spec.faults.length, 'fault')}`;
}
