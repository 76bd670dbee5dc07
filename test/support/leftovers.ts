// What "nothing remains" means for the process driver, checked from outside like an operator would.
import { readdirSync, readFileSync } from 'node:fs';
import { taggedProcesses } from '../../src/drivers/process/orphans.js';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { processAlive } from '../../src/runtime/processes.js';

/** Every way a process-driver run can leave something behind, as human-readable lines. */
export async function processLeftovers(runId: string, ports: number[]): Promise<string[]> {
  const found: string[] = [];
  for (const p of taggedProcesses(runId)) {
    const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    found.push(`service ${p.service} still running as pid ${p.pid}${state === 'T' ? ' (stopped)' : ''}`);
  }
  for (const port of ports) if (await addressInUse(`127.0.0.1:${port}`)) found.push(`port ${port} still listening`);
  return found;
}

/** Live processes whose command line mentions `needle` (e.g. a watchdog holding a ledger path). */
export function processesMentioning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle) && processAlive(pid);
      } catch {
        return false;
      }
    });
}
