import { spawn } from 'node:child_process';

/**
 * Starts a Node script that must outlive this process: its own session, no stdio, not waited
 * for, so nothing that kills faultline (SIGKILL, a closed terminal) reaches it.
 */
export function spawnDetached(script: string, args: string[]): number | undefined {
  const child = spawn(process.execPath, [script, ...args], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}
