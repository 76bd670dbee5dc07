// The console's Halt button runs `faultline halt` itself, as a separate process: the same code
// path as the command a person would type (lock first, SIGTERM to every live run, this one
// included, then rollback of any run that does not stop in time), and a halt that outlives this
// process if it has to kill it.
import { fileURLToPath } from 'node:url';
import { runHostCommand } from '../drivers/host-command.js';
import type { CommandResult } from '../domain/command.js';

const MAIN = fileURLToPath(new URL('./entry.js', import.meta.url));

export function haltFromConsole(stateDir: string, reason: string): Promise<CommandResult> {
  return runHostCommand([process.execPath, MAIN, 'halt', '--state-dir', stateDir, '--reason', reason], { timeoutMs: 120_000 });
}
