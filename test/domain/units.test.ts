import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parsePercent, parseRate } from '../../src/domain/units.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250], ['30s', 30_000], ['2m', 120_000], ['1h', 3_600_000], ['1d', 86_400_000], ['1m30s', 90_000], ['1.5s', 1500], ['0s', 0], [' 10s ', 10_000], ['0.0004s', 0],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('refuses negative durations', () => {
    expect(parseDuration('-5s')).toEqual({ error: 'a duration cannot be negative (found "-5s")' });
  });

  it('asks for a unit on a bare number', () => {
    expect(parseDuration('10')).toEqual({ error: '"10" has no unit: write e.g. "10ms" or "10s"' });
  });

  it.each(['10 sec', '10seconds', 's', '', '1m 30s', '5S'])('refuses %j', (text) => {
    expect(parseDuration(text)).toEqual({ error: expect.stringContaining('is not a duration') });
  });
});

describe('formatDuration', () => {
  it.each([
    [0.5, '0.50ms'], [250, '250ms'], [12.34, '12.3ms'], [1000, '1s'], [1500, '1.50s'], [60_000, '1m'], [90_000, '1m30s'], [3_600_000, '1h'], [172_800_000, '48h'], [172_802_000, '48h2s'], [183_600_000, '51h'], [5_430_000, '1h30m30s'], [-250, '-250ms'], [Infinity, 'Infinity'],
  ])('writes %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('parsePercent', () => {
  it.each([['99.9%', 99.9], ['95', 95], [50, 50], ['0%', 0], ['100%', 100], [' 5% ', 5]] as const)('reads %j as %d', (text, n) => {
    expect(parsePercent(text)).toBe(n);
  });

  it('refuses values outside 0..100 and non-numbers', () => {
    expect(parsePercent('101%')).toEqual({ error: 'a percentage must be between 0% and 100% (found 101%)' });
    expect(parsePercent(-1)).toEqual({ error: 'a percentage must be between 0% and 100% (found -1)' });
    expect(parsePercent('lots')).toEqual({ error: '"lots" is not a percentage: write e.g. "99.9%"' });
  });
});

describe('parseRate', () => {
  it.each([
    ['1mbit', 125_000], ['512kbit', 64_000], ['8bit', 1], ['10MB', 10_000_000], ['1KiB', 1024], ['2MiB', 2 * 1024 ** 2], ['1gbit', 125_000_000], ['100', 100], ['1kbit/s', 125], ['1MB/s', 1_000_000], [4096, 4096],
  ] as const)('reads %j as %d bytes per second', (text, bytes) => {
    expect(parseRate(text)).toBe(bytes);
  });

  it('refuses zero, negatives and unknown units', () => {
    expect(parseRate(0)).toEqual({ error: 'a rate must be positive (found 0)' });
    expect(parseRate('0kbit')).toEqual({ error: 'a rate must be positive (found "0kbit")' });
    expect(parseRate('fast')).toEqual({ error: expect.stringContaining('"fast" is not a rate') });
  });
});
