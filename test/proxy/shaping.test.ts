import { describe, expect, it } from 'vitest';
import { admit, isShaped, mayConnect, shapingFor, UNSHAPED } from '../../src/proxy/shaping.js';
import type { LinkImpairment } from '../../src/proxy/types.js';
import { seeded } from './harness.js';

describe('shapingFor', () => {
  it('is unshaped with nothing, or only loss, active', () => {
    expect(shapingFor([], 'up')).toBe(UNSHAPED);
    expect(shapingFor([{ kind: 'loss', percent: 50, mode: 'drop' }], 'down')).toBe(UNSHAPED);
    expect(isShaped(UNSHAPED)).toBe(false);
  });

  it('adds latencies, keeps the tightest bandwidth, and respects direction', () => {
    const imps: LinkImpairment[] = [
      { kind: 'latency', delayMs: 10, jitterMs: 2, direction: 'both' },
      { kind: 'latency', delayMs: 5, jitterMs: 1, direction: 'up' },
      { kind: 'bandwidth', bytesPerSecond: 5000, direction: 'both' },
      { kind: 'bandwidth', bytesPerSecond: 1000, direction: 'down' },
    ];
    expect(shapingFor(imps, 'up')).toEqual({ delayMs: 15, jitterMs: 3, bytesPerSecond: 5000, stalled: false });
    expect(shapingFor(imps, 'down')).toEqual({ delayMs: 10, jitterMs: 2, bytesPerSecond: 1000, stalled: false });
  });

  it('stalls both ways on timeout and one way on a one-way partition', () => {
    expect(shapingFor([{ kind: 'timeout' }], 'down').stalled).toBe(true);
    const cut: LinkImpairment[] = [{ kind: 'partition', direction: 'up' }];
    expect(shapingFor(cut, 'up').stalled).toBe(true);
    expect(shapingFor(cut, 'down').stalled).toBe(false);
  });
});

describe('admit', () => {
  it('black-holes on timeout without drawing, holds on partition, connects otherwise', () => {
    let draws = 0;
    const rng = (): number => (draws++, 0);
    expect(admit([{ kind: 'timeout' }, { kind: 'loss', percent: 100, mode: 'reset' }], rng)).toBe('blackhole');
    expect(draws).toBe(0);
    expect(admit([{ kind: 'partition', direction: 'down' }], rng)).toBe('hold');
    expect(admit([], rng)).toBe('connect');
    expect(mayConnect([{ kind: 'latency', delayMs: 1, jitterMs: 0, direction: 'up' }])).toBe(true);
    expect(mayConnect([{ kind: 'partition', direction: 'up' }])).toBe(false);
  });

  it('draws once per loss impairment and repeats for the same seed', () => {
    const loss: LinkImpairment[] = [{ kind: 'loss', percent: 25, mode: 'reset' }];
    const run = (): string[] => {
      const rng = seeded(3);
      return Array.from({ length: 400 }, () => admit(loss, rng));
    };
    const a = run();
    expect(a).toEqual(run());
    const resets = a.filter((x) => x === 'reset').length;
    expect(resets).toBeGreaterThan(60);
    expect(resets).toBeLessThan(140);
  });
});
