import { FaultlineError } from '../domain/errors.js';
import { loadExperiment } from '../spec/load-experiment.js';
import type { Terminal } from './terminal.js';

/** Validates every file (all of them, even after a failure) and reports each. */
export async function validateCommand(files: string[], term: Terminal): Promise<number> {
  let bad = 0;
  for (const file of files) {
    try {
      const { experiment } = await loadExperiment(file);
      term.out(`ok  ${file} (${experiment.metadata.name}, ${experiment.spec.driver} driver, ${experiment.spec.faults.length} fault${experiment.spec.faults.length === 1 ? '' : 's'})`);
    } catch (e) {
      if (!(e instanceof FaultlineError)) throw e;
      bad++;
      term.err(e.message);
    }
  }
  if (files.length > 1) term.out(`${files.length - bad} valid, ${bad} invalid`);
  return bad ? 2 : 0;
}
