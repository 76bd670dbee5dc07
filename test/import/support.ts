// Running the real `import` and `validate` commands in this process (spawning the CLI for each
// of dozens of fixtures would cost a second or more apiece), with their output kept per stream.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importCommand } from '../../src/cli/import-command.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { validateCommand } from '../../src/cli/validate-command.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function captured(run: (term: Terminal) => Promise<number>): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const term: Terminal = { tty: false, color: false, out: (t) => out.push(t), err: (t) => err.push(t), status: () => {} };
  const code = await run(term);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const dirs: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'faultline-import-'));
  dirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Imports `files` into a fresh directory (with `env` as the import's environment), then runs the real validate on every file written. */
export async function importAndValidate(files: string[], options: { partial?: boolean } = {}, env: NodeJS.ProcessEnv = {}) {
  const out = tempDir();
  const imported = await captured((term) => importCommand(files, { out, ...options }, term, env));
  const written = readdirSync(out).map((f) => path.join(out, f));
  const validated = written.length > 0 ? await captured((term) => validateCommand(written, term)) : undefined;
  return { out, imported, written, names: written.map((f) => path.basename(f)).sort(), validated, text: (name: string) => readFileSync(path.join(out, name), 'utf8') };
}
