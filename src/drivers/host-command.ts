// Running a program on the faultline host, the one way every driver does it: the exec probe and
// `where` checks, nsenter/unshare/ip for Docker network faults, and looking programs up on PATH
// before anything starts (a missing program is bad input, reported before any side effect).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { CommandResult } from '../domain/command.js';

const MAX_OUTPUT = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;

export interface HostCommandOptions {
  /** Default 15s; the program is killed (SIGKILL) when it runs longer. */
  timeoutMs?: number;
  cwd?: string;
  /** Written to the program's stdin, which is then closed. */
  input?: string;
  /** The program's whole environment. Default: faultline's. */
  env?: NodeJS.ProcessEnv;
}

/** Never rejects: a program that is missing, times out or is killed resolves with `code: null` and `error`. */
export function runHostCommand(command: readonly string[], { timeoutMs = DEFAULT_TIMEOUT_MS, cwd, input, env }: HostCommandOptions = {}): Promise<CommandResult> {
  return new Promise<CommandResult>((resolve) => {
    const [file, ...args] = command;
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(file!, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const finish = (r: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ code: null, stdout, stderr, error: `timed out after ${timeoutMs}ms`, timedOut: true });
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += c.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, stdout, stderr, error: e.code === 'ENOENT' ? `command not found: ${file}` : e.message }));
    child.on('close', (code, signal) => finish({ code, stdout, stderr, ...(code === null && signal ? { error: `killed by ${signal}` } : {}) }));
    // A program that exits without reading its input closes the pipe: that is not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** The absolute path of a program, as spawn would find it, or undefined. */
export function findProgram(program: string, cwd: string, envPath = process.env.PATH ?? ''): string | undefined {
  const candidates = program.includes('/') ? [path.resolve(cwd, program)] : envPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, program));
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) {
        accessSync(c, constants.X_OK);
        return c;
      }
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** What went wrong with a command that did not exit 0, for an error message. */
export function failureText(r: CommandResult): string {
  return r.error ?? (r.stderr.trim() || `exit ${r.code}`);
}
