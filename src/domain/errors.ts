// The two kinds of error, kept apart: input that is wrong (rejected before any side effect, exit 2)
// and an environment that cannot be used (engine unreachable, port taken: exit 3). Both are shown
// to the user as a message, never as a stack trace. Anything else is a bug.

export abstract class FaultlineError extends Error {
  abstract readonly exitCode: number;
}

/** One located problem in an experiment file. */
export interface Diagnostic {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path in the document, e.g. "spec.faults[2].latency.delay". */
  path: string;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
  return `${where}${d.path ? `${d.path}: ` : ''}${d.message}`;
}

/** Invalid input: a bad experiment file, a bad option. Exit code 2. */
export class InvalidInputError extends FaultlineError {
  override readonly name = 'InvalidInputError';
  readonly exitCode = 2;
  constructor(message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
  }
}

/** The environment cannot be used: engine or cluster unreachable, port in use, service will not start. Exit code 3. */
export class EnvironmentError extends FaultlineError {
  override readonly name = 'EnvironmentError';
  readonly exitCode = 3;
}
