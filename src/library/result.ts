// What a library run returns: the journal as a typed object, and the questions a test asks of it.
import type { Journal, ObjectiveVerdict } from '../domain/model.js';
import { EXIT } from '../engine/outcome.js';
import { renderVerdictTable } from '../report/index.js';

export interface ExperimentResult {
  /** Every objective met and the run completed cleanly: what exit code 0 means on the CLI. */
  readonly passed: boolean;
  /** The CLI's exit code for this run (0 pass, 1 missed or unknown, 3 aborted, 4 unclean, 130 interrupted). */
  readonly exitCode: number;
  readonly status: Journal['status'];
  readonly journal: Journal;
  readonly verdicts: readonly ObjectiveVerdict[];
  /** The run's folder: journal.json, report.html, service logs. */
  readonly runDir: string;
  /** What faultline would have printed, line by line (redacted). */
  readonly log: readonly string[];
  /**
   * The verdict of one objective, by its description ("writes recovers within 5s"), by a probe or
   * workload it judges, or by its kind ("recovery") when only one objective has that kind. Throws,
   * listing the objectives there are, when none or several match.
   */
  verdict(name: string): ObjectiveVerdict;
  /** The verdict table as the CLI prints it, without colour. */
  table(): string;
}

export function resultOf(journal: Journal, exitCode: number, runDir: string, log: readonly string[]): ExperimentResult {
  return {
    passed: exitCode === EXIT.ok,
    exitCode,
    status: journal.status,
    journal,
    verdicts: journal.verdicts,
    runDir,
    log,
    verdict: (name) => findVerdict(journal.verdicts, name),
    table: () => renderVerdictTable(journal, { color: false }),
  };
}

function findVerdict(verdicts: readonly ObjectiveVerdict[], name: string): ObjectiveVerdict {
  const exact = verdicts.filter((v) => v.objective === name);
  const found = exact.length > 0 ? exact : verdicts.filter((v) => v.kind === name || v.probe === name || v.workload === name);
  if (found.length === 1) return found[0]!;
  const there = verdicts.map((v) => `"${v.objective}"`).join(', ') || 'none';
  throw new Error(found.length === 0 ? `no objective "${name}"; the run's objectives: ${there}` : `"${name}" matches ${found.length} objectives (${found.map((v) => `"${v.objective}"`).join(', ')}); name one by its description`);
}
