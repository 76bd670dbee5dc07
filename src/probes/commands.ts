// The port through which the exec probe runs a command on the host; the process driver implements
// it, so this layer never touches child_process itself.
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not run at all or timed out. */
  error?: string;
}

export type RunCommand = (command: string[], opts: { timeoutMs: number; cwd?: string }) => Promise<CommandResult>;
