// Small builders for experiment texts whose line numbers are easy to count in a test.
import { expect } from 'vitest';
import { InvalidInputError, type Diagnostic } from '../../src/domain/errors.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';

/**
 * A process-driver experiment. Line 1 is apiVersion, the `faults:` key is line 16 and the
 * first line of `faults` is line 17; `extra` goes after the faults.
 */
export function processExperiment(faults: string, extra = ''): string {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: test }
spec:
  driver: process
  services:
    api: { command: [node, api.js] }
    db: { command: [node, db.js], cwd: ../db }
  links:
    api-to-db: { from: api, to: db, listen: 127.0.0.1:15432, upstream: 127.0.0.1:5432 }
  targets:
    db: { selector: { names: [db] } }
  probes:
    health: { http: { url: "http://127.0.0.1:8080/health" }, every: 100ms }
  steadyState: [health]
  faults:
${faults}${extra ? `\n${extra}` : ''}
`;
}

/** The diagnostics of an experiment text that must be rejected. */
export function diagnosticsOf(text: string, file = 'experiments/test.yaml'): Diagnostic[] {
  try {
    parseExperiment(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return (err as InvalidInputError).diagnostics;
  }
  throw new Error('expected the experiment to be rejected, but it loaded');
}

/** The single diagnostic of a text with exactly one problem. */
export function onlyDiagnostic(text: string, file?: string): Diagnostic {
  const all = diagnosticsOf(text, file);
  expect(all, all.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`).join('\n')).toHaveLength(1);
  return all[0]!;
}
