import { describe, expect, it } from 'vitest';
import { Spinner } from '../../src/proxy/spinner.js';

describe('Spinner', () => {
  it('ticks registered waiters until they stop re-registering', async () => {
    const spinner = new Spinner({ now: () => performance.now() });
    let ticks = 0;
    const waiter = { tick: () => void (++ticks < 5 && spinner.add(waiter)) };
    expect(spinner.add(waiter)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(ticks).toBe(5);
  });

  it('refuses to spin past its budget of 10 ms per 100 ms, then allows it again', async () => {
    let now = 0;
    const spinner = new Spinner({ now: () => now });
    let refusedAt = -1;
    const waiter = {
      tick: () => {
        now += 1; // each tick "costs" a millisecond
        if (!spinner.add(waiter)) refusedAt = now;
      },
    };
    spinner.add(waiter);
    await new Promise((r) => setTimeout(r, 20));
    expect(refusedAt).toBe(10);
    expect(spinner.add(waiter)).toBe(false);
    now = 150;
    expect(spinner.add(waiter)).toBe(true);
    spinner.delete(waiter);
  });
});
