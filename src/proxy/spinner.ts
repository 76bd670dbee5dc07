// Event-loop timers have millisecond granularity and may fire up to a millisecond early or late.
// Latency releases would then be late by ~0.5 ms on average, so the last stretch before a release is
// awaited on setImmediate ticks instead (I/O keeps flowing between ticks). One spinner serves a whole
// proxy, and it only runs while some release is less than a couple of milliseconds away.

export interface Spinnable {
  /** Called on a tick; re-register if still not due. */
  tick(): void;
}

export class Spinner {
  private readonly waiting = new Set<Spinnable>();
  private handle: NodeJS.Immediate | undefined;

  add(s: Spinnable): void {
    this.waiting.add(s);
    this.handle ??= setImmediate(this.run);
  }

  delete(s: Spinnable): void {
    this.waiting.delete(s);
    if (this.waiting.size === 0 && this.handle !== undefined) {
      clearImmediate(this.handle);
      this.handle = undefined;
    }
  }

  private readonly run = (): void => {
    this.handle = undefined;
    const due = [...this.waiting];
    this.waiting.clear();
    for (const s of due) s.tick();
    if (this.waiting.size > 0) this.handle ??= setImmediate(this.run);
  };
}
