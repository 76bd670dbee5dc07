import { fileURLToPath } from 'node:url';
import { spawnDetached } from '../drivers/process/detached.js';

/** Starts the process driver's watchdog for a run's ledger (see watchdog-main.ts). */
export function startWatchdog(ledgerFile: string): number | undefined {
  return spawnDetached(fileURLToPath(new URL('./watchdog-main.js', import.meta.url)), [ledgerFile, String(process.pid)]);
}
