// When each operation of an open-model workload should start: operation i at start + i / rate,
// computed from the start, never from the previous operation, so the schedule cannot drift and a
// slow reply never delays the next operation (no coordinated omission).
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from '../domain/context.js';

/** Below this, a timer cannot wait precisely (Node's timers have millisecond granularity). */
const TIMER_RESOLUTION_MS = 1;

/**
 * Calls `fire(seq, scheduledAt)` for every operation whose time has come, in order, until `signal`
 * aborts; returns how many were fired. Waits longer than a millisecond sleep on the clock; shorter ones yield to the event loop
 * (I/O runs, no time is slept) and look at the clock again, so at thousands of operations per
 * second each starts within a fraction of a millisecond of its time.
 */
export async function runOpenSchedule(clock: Clock, ratePerSecond: number, signal: AbortSignal, fire: (seq: number, scheduledAt: number) => void): Promise<number> {
  const interval = 1000 / ratePerSecond;
  const start = clock.now();
  if (signal.aborted) return 0;
  // Operations due before the stop still start, late if the process was busy: the schedule ends
  // when it is stopped, not when this loop next gets to run.
  let end = Infinity;
  const onStop = () => (end = clock.now());
  signal.addEventListener('abort', onStop, { once: true });
  let seq = 0;
  for (;;) {
    const now = Math.min(clock.now(), end);
    let due = start + seq * interval;
    while (due <= now) {
      fire(seq, due);
      seq += 1;
      due = start + seq * interval;
    }
    if (signal.aborted) break;
    const wait = due - clock.now();
    if (wait >= TIMER_RESOLUTION_MS) {
      await clock.sleep(Math.floor(wait), signal).catch(() => {});
    } else {
      await yieldToEventLoop();
    }
  }
  return seq;
}
