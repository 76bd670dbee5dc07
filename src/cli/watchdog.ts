import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts the detached watchdog for a run's ledger. It is not a child in any way that matters:
 * its own session, no stdio, not waited for, so it survives whatever kills this process.
 */
export function startWatchdog(ledgerFile: string): number | undefined {
  const script = fileURLToPath(new URL('./watchdog-main.js', import.meta.url));
  const child = spawn(process.execPath, [script, ledgerFile, String(process.pid)], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}
