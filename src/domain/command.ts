// The port through which anything above the drivers runs a program on faultline's host (the exec
// probe): drivers own child_process and provide the implementation; the CLI passes it in.
export interface CommandResult {
  /** null when the program never ran, timed out or was killed by a signal (see `error`). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not run at all, timed out or was killed. */
  error?: string;
  /** Set when it was killed for running longer than its timeout. */
  timedOut?: true;
}

export type RunCommand = (command: readonly string[], opts: { timeoutMs: number; cwd?: string }) => Promise<CommandResult>;

/** One run of a `command` fault's step, as the journal's inject or revert event records it. */
export interface CommandRun {
  /** The program and arguments as written (`${env:NAME}` left unexpanded, so no secret value is kept). */
  command: string[];
  cwd: string;
  /** The exit code, or null when the program never ran, timed out or was killed. */
  exitCode: number | null;
  /** The exit code that means success. */
  expected: number;
  durationMs: number;
  timeoutMs: number;
  timedOut: boolean;
  /** The end of each stream, bounded and redacted. */
  stdout: string;
  stderr: string;
  /** Why it could not run, or was killed. */
  error?: string;
}

/** A command step that did not end with its expected exit code: a failed injection or revert, with what it did. */
export class CommandStepError extends Error {
  override readonly name = 'CommandStepError';
  constructor(
    message: string,
    readonly run: CommandRun,
  ) {
    super(message);
  }
}
