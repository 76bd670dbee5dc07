import { describe, expect, it } from 'vitest';
import { Zone } from '../../src/schedule/zone.js';
import { at, calendar, local, utc } from './helpers.js';

const H = 3_600_000;

describe('windows in a time zone', () => {
  const cal = calendar({ timezone: 'Europe/Paris', windows: [{ days: 'Mon-Fri', hours: '10:00-16:00' }] });

  it('opens on weekdays between the local hours', () => {
    // 2026-06-15 is a Monday; Paris is UTC+2 in summer.
    const open = cal.openBetween(at('2026-06-13 00:00'), at('2026-06-17 00:00'));
    expect(open.map((i) => `${utc(i.start)} → ${utc(i.end)}`)).toEqual(['2026-06-15 08:00 → 2026-06-15 14:00', '2026-06-16 08:00 → 2026-06-16 14:00']);
    expect(cal.isOpen(at('2026-06-15 09:59', 'Europe/Paris'))).toBe(false);
    expect(cal.isOpen(at('2026-06-15 10:00', 'Europe/Paris'))).toBe(true);
    expect(cal.isOpen(at('2026-06-15 15:59', 'Europe/Paris'))).toBe(true);
    expect(cal.isOpen(at('2026-06-15 16:00', 'Europe/Paris'))).toBe(false);
    expect(cal.isOpen(at('2026-06-13 12:00', 'Europe/Paris'))).toBe(false);
  });

  it('follows the zone offset through the year (UTC+1 in winter)', () => {
    const [first] = cal.openBetween(at('2026-01-05 00:00'), at('2026-01-06 00:00'));
    expect(utc(first!.start)).toBe('2026-01-05 09:00');
  });

  it('accepts lists and wrapping ranges of days, and a window to midnight', () => {
    const c = calendar({ windows: [{ days: ['Mon', 'Wed'], hours: '22:00-24:00' }, { days: 'Sat-Mon', hours: '00:00-01:00' }] });
    const open = c.openBetween(at('2026-06-13 00:00'), at('2026-06-18 00:00')); // Sat .. Wed
    expect(open.map((i) => `${utc(i.start)} → ${utc(i.end)}`)).toEqual([
      '2026-06-13 00:00 → 2026-06-13 01:00',
      '2026-06-14 00:00 → 2026-06-14 01:00',
      '2026-06-15 00:00 → 2026-06-15 01:00',
      '2026-06-15 22:00 → 2026-06-16 00:00',
      '2026-06-17 22:00 → 2026-06-18 00:00',
    ]);
  });

  it('is open all the time without windows', () => {
    const c = calendar({});
    expect(c.openBetween(at('2026-06-13 00:00'), at('2026-06-20 00:00'))).toEqual([{ start: at('2026-06-13 00:00'), end: at('2026-06-20 00:00') }]);
  });
});

describe('daylight-saving transitions in Europe/Paris', () => {
  it('spring forward (2026-03-29, 02:00 → 03:00): a window inside the gap never opens; one that starts in it opens at the jump', () => {
    const gap = calendar({ timezone: 'Europe/Paris', windows: [{ hours: '02:00-03:00' }] });
    expect(gap.openOn(new Zone('Europe/Paris').dayOf(at('2026-03-29 12:00')))).toEqual([]);
    const across = calendar({ timezone: 'Europe/Paris', windows: [{ hours: '02:30-04:00' }] });
    const [w] = across.openBetween(at('2026-03-29 00:00'), at('2026-03-30 00:00'));
    expect(local(w!.start, 'Europe/Paris')).toBe('2026-03-29 03:00 GMT+2');
    expect(local(w!.end, 'Europe/Paris')).toBe('2026-03-29 04:00 GMT+2');
    expect(w!.end - w!.start).toBe(1 * H);
    // The day is 23 hours long.
    const day = calendar({ timezone: 'Europe/Paris' }).openBetween(at('2026-03-29 00:00', 'Europe/Paris'), at('2026-03-30 00:00', 'Europe/Paris'));
    expect(day[0]!.end - day[0]!.start).toBe(23 * H);
  });

  it('fall back (2026-10-25, 03:00 → 02:00): the repeated hour is inside its window once, as two real hours', () => {
    const twice = calendar({ timezone: 'Europe/Paris', windows: [{ hours: '02:00-03:00' }] });
    const [w] = twice.openBetween(at('2026-10-25 00:00'), at('2026-10-26 00:00'));
    expect(utc(w!.start)).toBe('2026-10-25 00:00'); // 02:00 CEST
    expect(utc(w!.end)).toBe('2026-10-25 02:00'); // 03:00 CET
    expect(w!.end - w!.start).toBe(2 * H);
    const normal = calendar({ timezone: 'Europe/Paris', windows: [{ hours: '10:00-16:00' }] });
    const [n] = normal.openBetween(at('2026-10-25 00:00'), at('2026-10-26 00:00'));
    expect(utc(n!.start)).toBe('2026-10-25 09:00'); // CET from now on
  });

  it('resolves a wall time to its first occurrence, and a skipped one to the jump', () => {
    const z = new Zone('Europe/Paris');
    const oct25 = z.dayOf(at('2026-10-25 12:00'));
    expect(utc(z.resolve(oct25, 150))).toBe('2026-10-25 00:30'); // 02:30 CEST, the first of two
    const mar29 = z.dayOf(at('2026-03-29 12:00'));
    expect(utc(z.resolve(mar29, 150))).toBe('2026-03-29 01:00'); // 02:30 does not exist: 03:00 CEST
  });
});

describe('blackouts', () => {
  it('absolute dates are whole local days, inclusive', () => {
    const c = calendar({ timezone: 'Europe/Paris', windows: [{ hours: '10:00-16:00' }], blackouts: [{ from: '2026-12-20', to: '2027-01-04', reason: 'change freeze' }] });
    const open = c.openBetween(at('2026-12-19 00:00'), at('2027-01-07 00:00'));
    expect(open.map((i) => local(i.start, 'Europe/Paris').slice(0, 10))).toEqual(['2026-12-19', '2027-01-05', '2027-01-06']);
    expect(c.blackoutsAt(at('2026-12-25 12:00', 'Europe/Paris'))[0]!.reason).toBe('change freeze');
  });

  it('absolute times cut a window in two', () => {
    const c = calendar({ windows: [{ hours: '10:00-16:00' }], blackouts: [{ from: '2026-06-15T12:00', to: '2026-06-15T13:30' }] });
    const open = c.openBetween(at('2026-06-15 00:00'), at('2026-06-16 00:00'));
    expect(open.map((i) => `${utc(i.start)} → ${utc(i.end)}`)).toEqual(['2026-06-15 10:00 → 2026-06-15 12:00', '2026-06-15 13:30 → 2026-06-15 16:00']);
  });

  it('recur every year, including across the new year', () => {
    const c = calendar({ blackouts: [{ every: 'year', from: '12-24', to: '12-26' }, { every: 'year', from: '12-31', to: '01-01' }] });
    const days = (y: number) => c.openBetween(at(`${y}-12-23 00:00`), at(`${y + 1}-01-03 00:00`)).map((i) => `${utc(i.start).slice(0, 10)}..${utc(i.end).slice(0, 10)}`);
    expect(days(2026)).toEqual(['2026-12-23..2026-12-24', '2026-12-27..2026-12-31', '2027-01-02..2027-01-03']);
    expect(days(2031)).toEqual(['2031-12-23..2031-12-24', '2031-12-27..2031-12-31', '2032-01-02..2032-01-03']);
  });

  it('recur every month (clamped to short months) and every day (across midnight)', () => {
    const monthly = calendar({ blackouts: [{ every: 'month', from: 30, to: 31 }] });
    expect(monthly.isOpen(at('2027-02-28 12:00'))).toBe(false); // clamped: February has no 30th
    expect(monthly.isOpen(at('2027-02-27 12:00'))).toBe(true);
    expect(monthly.isOpen(at('2027-03-30 12:00'))).toBe(false);
    const nightly = calendar({ timezone: 'Europe/Paris', blackouts: [{ every: 'day', hours: '22:00-06:00' }, { every: 'day', days: 'Mon-Fri', hours: '12:00-13:00', reason: 'lunch' }] });
    expect(nightly.isOpen(at('2026-06-15 23:00', 'Europe/Paris'))).toBe(false);
    expect(nightly.isOpen(at('2026-06-16 05:59', 'Europe/Paris'))).toBe(false);
    expect(nightly.isOpen(at('2026-06-16 06:00', 'Europe/Paris'))).toBe(true);
    expect(nightly.blackoutsAt(at('2026-06-16 12:30', 'Europe/Paris'))[0]!.reason).toBe('lunch');
    expect(nightly.isOpen(at('2026-06-20 12:30', 'Europe/Paris'))).toBe(true); // a Saturday
  });
});
