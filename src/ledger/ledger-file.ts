// Appending to and reading ledger files. Every append is fsynced before it returns: the record
// must be on disk before the side effect it announces happens.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../domain/errors.js';
import type { LedgerRecord } from './records.js';

export class LedgerWriter {
  private fd: number | undefined;

  constructor(readonly file: string) {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      this.fd = openSync(file, 'a', 0o600);
    } catch (e) {
      // No ledger, no run: a fault whose undo cannot be recorded must not be injected.
      throw new EnvironmentError(`cannot write the ledger ${file}: ${(e as Error).message}; set --state-dir or FAULTLINE_STATE_DIR to a writable directory`);
    }
  }

  append(record: LedgerRecord): void {
    if (this.fd === undefined) throw new Error(`ledger ${this.file} is closed`);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Records of one ledger file. A torn last line (the writer died mid-write) is ignored. */
export function readLedger(file: string): LedgerRecord[] {
  const records: LedgerRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as LedgerRecord);
    } catch {
      // only the last line can be torn; anything after it was never acknowledged either
    }
  }
  return records;
}

export function ledgerFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.ledger'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new EnvironmentError(`cannot read the state directory ${dir}: ${code === 'ENOTDIR' ? 'a path component is not a directory' : (e as Error).message}; set --state-dir or FAULTLINE_STATE_DIR`);
  }
}
