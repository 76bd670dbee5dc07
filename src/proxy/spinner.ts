// Event-loop timers have millisecond granularity and may fire up to a millisecond early or late.
// Latency releases would then be late by ~0.5 ms on average, so the last stretch before a release is
// awaited on setImmediate ticks instead (I/O keeps flowing between ticks). One spinner serves a whole
// proxy, and it only runs while some release is less than a couple of milliseconds away.
//
// Spinning burns CPU that, with the process driver, the services under test share. So it has a
// budget: at most BUDGET_MS of spinning per WINDOW_MS. Sparse traffic (request/response) stays
// precise; a sustained stream falls back to plain timers rather than eating a core.
import type { ProxyClock } from './types.js';

const WINDOW_MS = 100;
const BUDGET_MS = 10;

export interface Spinnable {
  /** Called on a tick; re-register if still not due. */
  tick(): void;
}

export class Spinner {
  private readonly waiting = new Set<Spinnable>();
  private handle: NodeJS.Immediate | undefined;
  private windowStart = Number.NEGATIVE_INFINITY;
  private spent = 0;
  private busySince = 0;

  constructor(private readonly clock: ProxyClock) {}

  /** False when the budget is used up: the caller should use a timer. */
  add(s: Spinnable): boolean {
    const now = this.clock.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.spent = 0;
      if (this.handle !== undefined) this.busySince = now;
    }
    const spinning = this.handle !== undefined ? now - this.busySince : 0;
    if (this.spent + spinning >= BUDGET_MS) return false;
    this.waiting.add(s);
    if (this.handle === undefined) {
      this.busySince = now;
      this.handle = setImmediate(this.run);
    }
    return true;
  }

  delete(s: Spinnable): void {
    this.waiting.delete(s);
    if (this.waiting.size === 0) this.stop();
  }

  private stop(): void {
    if (this.handle === undefined) return;
    clearImmediate(this.handle);
    this.handle = undefined;
    this.spent += this.clock.now() - this.busySince;
  }

  private readonly run = (): void => {
    this.handle = undefined;
    const due = [...this.waiting];
    this.waiting.clear();
    // Keep the spin "open" while ticking, so re-registrations see the time already spent.
    this.handle = setImmediate(this.run);
    for (const s of due) s.tick();
    if (this.waiting.size === 0) this.stop();
  };
}
