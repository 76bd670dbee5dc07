// What every engine, fault, probe and driver call receives instead of reaching for globals:
// time, cancellation, logging, the run id and the seeded random source.

export interface Clock {
  /** Epoch milliseconds, sub-millisecond resolution. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Details for whoever investigates a run (which path a mechanism took); shown with FAULTLINE_DEBUG=1. */
  debug?(message: string): void;
}

export interface RunContext {
  clock: Clock;
  /** Aborts on interrupt (SIGINT/SIGTERM) or when an abort condition fires. Reverts must not use it. */
  signal: AbortSignal;
  log: Logger;
  runId: string;
  /** Uniform [0, 1), seeded from the experiment seed. */
  rng: () => number;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
