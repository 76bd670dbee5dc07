// Spawning the built CLI (bin/faultline -> dist/) the way a user or CI would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { Journal } from '../../src/domain/model.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI } from './kv.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `stdin: 'pipe'` lets the test type into the CLI (a game day's manual gates); by default it reads nothing. */
export function startCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: 'pipe'; bin?: string } = {}): { child: ChildProcess; done: Promise<CliResult>; output: () => string } {
  // Each invocation gets its own state directory unless the test shares one on purpose, so one
  // test's ledgers or halt lock never block another's runs.
  const stateDir = mkdtempSync(path.join(tmpdir(), 'faultline-state-'));
  const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: stateDir, ...opts.env };
  // The executable itself, as a shell runs it: `run`, `validate` and `plan` then start from the
  // start-up snapshot when the build made one (docs/start-up.md), as they do for users.
  const child = spawn(opts.bin ?? CLI, args, { cwd: opts.cwd, env, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; bin?: string } = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** Resolves once the CLI's output matches, or rejects after `ms`. */
export async function waitForOutput(output: () => string, pattern: RegExp, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The journal of the one run a CLI invocation wrote under `out`. */
export function journalIn(out: string): Journal {
  const runs = readdirSync(out).filter((d) => !/\.(xml|md|html)$/.test(d));
  if (runs.length !== 1) throw new Error(`expected one run directory in ${out}, found ${runs.join(', ') || 'none'}`);
  return JSON.parse(readFileSync(path.join(out, runs[0]!, 'journal.json'), 'utf8')) as Journal;
}
