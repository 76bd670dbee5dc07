// Recognising the engine's answers that faults treat as outcomes rather than failures.

interface EngineError {
  statusCode?: number;
  json?: { message?: string } | null;
  message?: string;
}

export function statusOf(err: unknown): number | undefined {
  return (err as EngineError | null)?.statusCode;
}

export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

/** 304 "not modified" (already started/stopped) and 409 "not running/not paused" conflicts. */
export function isNoop(err: unknown): boolean {
  const s = statusOf(err);
  // Older engines answer "is not paused" / "is already paused" with a 500.
  return s === 304 || s === 409 || /is not paused|is not running|is already (paused|started|stopped)/i.test(engineMessage(err));
}

export function engineMessage(err: unknown): string {
  const e = err as EngineError | null;
  return e?.json?.message ?? e?.message ?? String(err);
}
