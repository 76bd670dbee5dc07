// The port every workload client implements, whatever the store: one operation at a time, with
// its outcome classified the same way everywhere. Adding a client is one file here and one entry
// in index.ts; the generator, the final read and the engine never change.
import type { OperationOutcome } from '../../domain/history.js';
import type { TemplateVariable } from '../../domain/workload.js';
import type { RunCommand } from '../../domain/command.js';

export type OperationVars = Record<TemplateVariable, string>;

export interface OperationClient {
  /** Where the store is (host:port, a program), for messages. */
  readonly address: string;
  /** Connects and creates what operations need (a table); throws when the store cannot be reached. */
  prepare(signal: AbortSignal): Promise<void>;
  /**
   * One operation. A write resolves when acknowledged; a read resolves to the value found, or null
   * when the key is absent. Throws OperationError, or any error, which `classify` then judges.
   */
  run(vars: OperationVars, signal: AbortSignal): Promise<string | null>;
  close(): Promise<void>;
}

export interface ClientDeps {
  /** Operations in flight at once: the connection pool is sized from it. */
  maxInFlight: number;
  /** One operation's time limit, ms. */
  timeout: number;
  runCommand: RunCommand;
  /** Working directory of exec clients. */
  cwd: string;
}

/** A failure whose outcome the client knows: "fail" when the store answered no, "unknown" when it may have applied it. */
export class OperationError extends Error {
  constructor(readonly outcome: 'fail' | 'unknown', message: string) {
    super(message);
  }
}

/** Errors that happen before a request leaves this host: the store cannot have applied anything. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * An error's outcome. Unless a client or the error's code says the request never reached the
 * store, it may have been applied: "unknown" is the honest default (a connection lost mid-request).
 */
export function classify(e: unknown): { outcome: Exclude<OperationOutcome, 'ok' | 'dropped'>; error: string } {
  if (e instanceof OperationError) return { outcome: e.outcome, error: e.message };
  const err = e as NodeJS.ErrnoException & { errors?: unknown[] };
  // Node reports a refused dual-stack connect as an AggregateError of its attempts.
  const codes = [err?.code, ...(Array.isArray(err?.errors) ? err.errors.map((x) => (x as NodeJS.ErrnoException)?.code) : [])];
  const message = e instanceof Error ? `${err.code && !e.message.includes(err.code) ? `${err.code} ` : ''}${e.message || e.name}` : String(e);
  return { outcome: codes.some((c) => c !== undefined && NEVER_SENT.has(c)) ? 'fail' : 'unknown', error: message };
}
