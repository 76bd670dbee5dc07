import { FaultlineError } from '../domain/errors.js';
import { NOTHING_JUDGED } from '../domain/nothing-judged.js';
import { printable } from '../domain/printable.js';
import { systemClock } from '../runtime/system-clock.js';
import { loadFile, type LoadedFile } from '../spec/load-file.js';
import type { Terminal } from './terminal.js';

/** Validates every file, experiment or schedule (all of them, even after a failure), and reports each. */
export async function validateCommand(files: string[], term: Terminal): Promise<number> {
  let bad = 0;
  for (const file of files) {
    try {
      const loaded = await loadFile(file, systemClock.now());
      term.out(`ok  ${file} (${summary(loaded)})`);
      for (const w of warnings(loaded)) term.err(`${file}: warning: ${w}`);
    } catch (e) {
      if (!(e instanceof FaultlineError)) throw e;
      bad++;
      term.err(printable(e.message));
    }
  }
  if (files.length > 1) term.out(`${files.length - bad} valid, ${bad} invalid`);
  return bad ? 2 : 0;
}

/** Valid, but probably not what the author meant. */
function warnings(loaded: LoadedFile): string[] {
  if (loaded.kind !== 'Experiment' || loaded.experiment.experiment.spec.objectives.length > 0) return [];
  return [`spec.objectives: ${NOTHING_JUDGED}; a run will never pass (add e.g. "- recovery: { probe: <a probe>, within: 10s }")`];
}

function summary(loaded: LoadedFile): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (loaded.kind === 'Scenario') {
    const { scenario, steps } = loaded.scenario;
    return `scenario ${scenario.metadata.name}, ${plural(steps.length, 'step')}`;
  }
  if (loaded.kind === 'Schedule') {
    const { schedule, experiments } = loaded.schedule;
    return `schedule ${schedule.metadata.name}, ${plural(experiments.length, 'experiment')}: ${experiments.map((e) => e.experiment.metadata.name).join(', ')}`;
  }
  const { experiment } = loaded.experiment;
  return `${experiment.metadata.name}, ${experiment.spec.driver} driver, ${plural(experiment.spec.faults.length, 'fault')}`;
}
