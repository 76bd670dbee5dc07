// Real time, sped up: `factor` virtual milliseconds pass per real millisecond, from `origin`.
// The scheduler sleeps on it while the experiments it starts run in real time.
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../src/domain/context.js';

export function scaledClock(origin: number, factor: number): Clock & { factor: number } {
  const realStart = performance.now();
  return {
    factor,
    now: () => origin + (performance.now() - realStart) * factor,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new Error(String(signal.reason)));
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms / factor));
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Error(String(signal!.reason)));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
