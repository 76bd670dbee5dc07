import { readFileSync } from 'node:fs';

/** Alive and not a zombie: an orphan whose new parent never reaps it still answers kill(pid, 0). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * When the process started (clock ticks since boot, field 22 of /proc/PID/stat): with the pid, it
 * identifies one process for good, so a recycled pid is never mistaken for the one recorded.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
