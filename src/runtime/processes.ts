import { readdirSync, readFileSync } from 'node:fs';

/**
 * The fields of /proc/PID/stat after the command (which may hold spaces and parentheses): [0] the
 * state letter (R, S, T stopped, Z zombie...), [2] the process group, [19] the start time.
 * Undefined when the process is gone or there is no /proc.
 */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process's state letter: "T" is stopped by a signal, "Z" a zombie. */
export function processState(pid: number): string | undefined {
  return statFields(pid)?.[0];
}

/** Alive and not a zombie: an orphan whose new parent never reaps it still answers kill(pid, 0). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = processState(pid);
  return state !== undefined && state !== 'Z';
}

/**
 * When the process started (clock ticks since boot, field 22 of /proc/PID/stat): with the pid, it
 * identifies one process for good, so a recycled pid is never mistaken for the one recorded.
 */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/**
 * Some process of the group is alive and not a zombie. Zombies count for kill(-group, 0), and an
 * orphan's zombie lingers as long as its new parent takes to reap it (a second or more here).
 */
export function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
  } catch {
    return false;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  return entries.some((entry) => {
    const f = /^\d+$/.test(entry) ? statFields(entry) : undefined;
    return f !== undefined && Number(f[2]) === group && f[0] !== 'Z' && f[0] !== 'X';
  });
}
