// The real clock. Everything else receives a Clock so tests can compress time and the engine never
// reads the wall clock or sets bare timers itself.
import { performance } from 'node:perf_hooks';
import type { Clock } from '../domain/context.js';

export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new AbortError(String(r ?? 'aborted'));
}

export class AbortError extends Error {
  override readonly name = 'AbortError';
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
