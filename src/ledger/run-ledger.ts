// What the engine tells the ledger while a run is in progress. The engine depends on this
// interface only; the file-backed implementation lives beside it.
import { hostname } from 'node:os';
import type { FaultKind } from '../domain/experiment.js';
import type { JsonValue, RunStatus, Target } from '../domain/model.js';
import type { DriverEvent } from '../drivers/driver.js';
import { LedgerWriter } from './ledger-file.js';
import { processStartTime } from '../runtime/processes.js';
import type { LedgerRecord, RunRecord } from './records.js';
import { redactValue, type Redactor } from '../domain/redact.js';

export interface RunLedger {
  /** Called before the side effect; must be durable when it returns. */
  intent(fault: string, kind: FaultKind, target: Target, expiresAt: number | null): void;
  injected(fault: string, kind: FaultKind, target: Target, undo: JsonValue): void;
  reverted(fault: string, kind: FaultKind, target: Target, note?: string): void;
  driverEvent(e: DriverEvent): void;
  end(status: RunStatus, unclean: boolean): void;
}

/**
 * How long past its planned end (`at + for`) a held fault may live before the watchdog or a
 * holder removes it: a held fault's time to live is `for + HOLD_EXPIRY_MARGIN_MS`.
 */
export const HOLD_EXPIRY_MARGIN_MS = 2000;

export class FileRunLedger implements RunLedger {
  private readonly writer: { append(r: LedgerRecord): void; close(): void; file: string };

  constructor(file: string, run: Omit<RunRecord, 'type' | 'pid' | 'hostname'>, private readonly now: () => number, redact?: Redactor) {
    const writer = new LedgerWriter(file);
    // Targets and undo records can carry command lines: they are redacted like everything else.
    this.writer = redact ? { file, append: (r) => writer.append(redactValue(r, redact)), close: () => writer.close() } : writer;
    this.writer.append({ type: 'run', pid: process.pid, ...pidStartOf(process.pid), hostname: hostname(), ...run });
  }

  get file(): string {
    return this.writer.file;
  }

  intent(fault: string, kind: FaultKind, target: Target, expiresAt: number | null): void {
    this.writer.append({ type: 'intent', t: this.now(), fault, kind, target, expiresAt });
  }

  injected(fault: string, kind: FaultKind, target: Target, undo: JsonValue): void {
    this.writer.append({ type: 'injected', t: this.now(), fault, kind, target, undo });
  }

  reverted(fault: string, kind: FaultKind, target: Target, note?: string): void {
    this.writer.append({ type: 'reverted', t: this.now(), fault, kind, target, by: 'run', ...(note ? { note } : {}) });
  }

  driverEvent(e: DriverEvent): void {
    if (e.pid === undefined) return;
    if (e.event === 'started') this.writer.append({ type: 'service', t: this.now(), service: e.service, pid: e.pid, event: 'started' });
    if (e.event === 'exited') this.writer.append({ type: 'service', t: this.now(), service: e.service, pid: e.pid, event: 'stopped' });
  }

  end(status: RunStatus, unclean: boolean): void {
    this.writer.append({ type: 'end', t: this.now(), status, unclean });
    this.writer.close();
  }
}

function pidStartOf(pid: number): { pidStart?: string } {
  const start = processStartTime(pid);
  return start ? { pidStart: start } : {};
}
