// The emergency-stop lock: while it exists, no run and no scheduled experiment starts.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { haltLockPath } from './state-dir.js';

export interface HaltLock {
  at: string;
  by: string;
  host: string;
  reason?: string;
}

export function readHaltLock(stateDir: string): HaltLock | undefined {
  try {
    return JSON.parse(readFileSync(haltLockPath(stateDir), 'utf8')) as HaltLock;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    // A corrupt lock still means "halted": an emergency stop must not be undone by a bad write.
    return { at: 'unknown', by: 'unknown', host: 'unknown', reason: 'the lock file exists but cannot be read' };
  }
}

export function setHaltLock(stateDir: string, lock: Omit<HaltLock, 'host' | 'by'> & { by?: string }): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const full: HaltLock = { by: lock.by ?? os.userInfo().username, host: os.hostname(), ...lock };
  writeFileSync(haltLockPath(stateDir), `${JSON.stringify(full)}\n`, { mode: 0o600 });
}

export function releaseHaltLock(stateDir: string): boolean {
  try {
    rmSync(haltLockPath(stateDir));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

export function describeLock(lock: HaltLock, stateDir: string): string {
  return `faultline is halted (since ${lock.at}, by ${lock.by} on ${lock.host}${lock.reason ? `: ${lock.reason}` : ''}); no experiment starts until \`faultline halt --release\` (state dir ${path.resolve(stateDir)})`;
}
