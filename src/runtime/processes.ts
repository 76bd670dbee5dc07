import { readdirSync, readFileSync } from 'node:fs';

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
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command's ")": state, ppid, pgrp.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === group && state !== 'Z' && state !== 'X') return true;
    } catch {
      // It exited while we looked.
    }
  }
  return false;
}
