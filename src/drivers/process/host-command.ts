// Running commands on this host: the exec probe, `where` checks, and looking programs up on PATH
// before anything starts (a missing program is bad input, reported before any side effect).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { CommandResult, RunCommand } from '../../probes/commands.js';

const MAX_OUTPUT = 256 * 1024;

export const runHostCommand: RunCommand = (command, { timeoutMs, cwd }) =>
  new Promise<CommandResult>((resolve) => {
    const [file, ...args] = command;
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(file!, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const finish = (r: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ code: null, stdout, stderr, error: `timed out after ${timeoutMs}ms` });
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += c.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, stdout, stderr, error: e.code === 'ENOENT' ? `command not found: ${file}` : e.message }));
    child.on('close', (code) => finish({ code, stdout, stderr }));
  });

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
