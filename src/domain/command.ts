// The port through which anything above the drivers runs a program on faultline's host (the exec
// probe): drivers own child_process and provide the implementation; the CLI passes it in.
export interface CommandResult {
  /** null when the program never ran, timed out or was killed by a signal (see `error`). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not run at all, timed out or was killed. */
  error?: string;
}

export type RunCommand = (command: readonly string[], opts: { timeoutMs: number; cwd?: string }) => Promise<CommandResult>;
