// The logbook as it is typed: each note and Detected mark is appended to logbook.jsonl in the run
// directory and fsynced before the console answers, so a crash of faultline loses nothing
// already typed (journal.json itself is written when the run ends). The same entries are journal
// events, so the finished journal holds them too.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { LogbookEvent } from '../domain/logbook.js';
import type { ScenarioLogbookEntry } from '../domain/scenario-journal.js';

export const LOGBOOK_FILE = 'logbook.jsonl';

export class LogbookFile {
  private fd: number | undefined;

  constructor(readonly file: string) {}

  append(event: LogbookEvent | ScenarioLogbookEntry): void {
    if (this.fd === undefined) {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.file, 'a', 0o600);
    }
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
