import { describe, expect, it } from 'vitest';
import { parseCron } from '../../src/schedule/cron.js';
import { Timeline } from '../../src/schedule/timeline.js';
import { Calendar } from '../../src/schedule/calendar.js';
import { at, local, schedule, utc } from './helpers.js';

const MIN = 60_000;
const H = 60 * MIN;

function timeline(spec: Record<string, unknown>, seed = '2026', experiments = 2): Timeline {
  const s = schedule(spec);
  return new Timeline({ calendar: new Calendar(s.spec.calendar), cadence: s.spec.cadence, seed, experiments });
}

describe('cron', () => {
  it('parses fields, ranges, steps, names and macros', () => {
    const c = parseCron('*/15 10-15 * JAN-mar mon-fri');
    if ('error' in c) throw new Error(c.error);
    expect([...c.minutes]).toEqual([0, 15, 30, 45]);
    expect([...c.hours]).toEqual([10, 11, 12, 13, 14, 15]);
    expect([...c.months]).toEqual([1, 2, 3]);
    expect([...c.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    const weekly = parseCron('@weekly');
    expect('error' in weekly ? weekly.error : [...weekly.daysOfWeek]).toEqual([0]);
    const seven = parseCron('0 0 * * 7');
    expect('error' in seven ? seven.error : [...seven.daysOfWeek]).toEqual([0]);
  });

  it('explains bad expressions', () => {
    expect(parseCron('* * *')).toMatchObject({ error: expect.stringMatching(/needs 5 fields/) });
    expect(parseCron('61 * * * *')).toMatchObject({ error: expect.stringMatching(/minute "61" is not a number between 0 and 59/) });
    expect(parseCron('*/0 * * * *')).toMatchObject({ error: expect.stringMatching(/bad step/) });
    expect(parseCron('0 5-2 * * *')).toMatchObject({ error: expect.stringMatching(/runs backwards/) });
  });

  it('fires only inside windows, in the calendar zone', () => {
    const t = timeline({ calendar: { timezone: 'Europe/Paris', windows: [{ days: 'Mon-Fri', hours: '10:00-12:00' }] }, cadence: { cron: '*/30 9-15 * * *' } });
    const slots = t.between(at('2026-06-13 00:00'), at('2026-06-16 00:00')); // Sat, Sun, Mon
    expect(slots.map((s) => local(s.at, 'Europe/Paris'))).toEqual(['2026-06-15 10:00 GMT+2', '2026-06-15 10:30 GMT+2', '2026-06-15 11:00 GMT+2', '2026-06-15 11:30 GMT+2']);
  });

  it('treats day-of-month and day-of-week as either when both are given', () => {
    const t = timeline({ cadence: { cron: '0 12 13 * 5' } }); // the 13th, or any Friday
    const days = t.between(at('2026-11-01 00:00'), at('2026-12-01 00:00')).map((s) => utc(s.at).slice(0, 10));
    expect(days).toEqual(['2026-11-06', '2026-11-13', '2026-11-20', '2026-11-27']);
  });

  it('fires once in the repeated autumn hour and never in the skipped spring one', () => {
    const t = timeline({ calendar: { timezone: 'Europe/Paris' }, cadence: { cron: '30 2 * * *' } });
    const autumn = t.between(at('2026-10-24 12:00'), at('2026-10-25 12:00'));
    expect(autumn.map((s) => utc(s.at))).toEqual(['2026-10-25 00:30']);
    const spring = t.between(at('2026-03-28 12:00'), at('2026-03-29 12:00'));
    expect(spring).toEqual([]);
  });
});

describe('random cadence', () => {
  const spec = { calendar: { timezone: 'Europe/Paris', windows: [{ days: 'Mon-Fri', hours: '10:00-16:00' }] }, cadence: { meanTimeBetween: '2h', minTimeBetween: '30m' } };

  it('is reproducible from the seed, whatever the range it is computed over', () => {
    const a = timeline(spec).between(at('2026-06-01 00:00'), at('2026-07-01 00:00'));
    const b = timeline(spec).between(at('2026-06-10 00:00'), at('2026-06-20 00:00'));
    expect(a.filter((s) => s.at >= at('2026-06-10 00:00') && s.at < at('2026-06-20 00:00'))).toEqual(b);
    const other = timeline(spec, 'another-seed').between(at('2026-06-01 00:00'), at('2026-07-01 00:00'));
    expect(other.map((s) => s.at)).not.toEqual(a.map((s) => s.at));
    expect(new Set(a.map((s) => s.experiment))).toEqual(new Set([0, 1]));
    expect(a[0]!.seed).toMatch(/^2026\/2026-06-\d\dT\d\d:\d\dZ$/);
  });

  it('starts only inside windows, on whole minutes, at least minTimeBetween apart, about meanTimeBetween on average', () => {
    const t = timeline(spec);
    const cal = new Calendar(schedule(spec).spec.calendar);
    const from = at('2026-01-01 00:00');
    const to = at('2027-01-01 00:00');
    const slots = t.between(from, to);
    for (const s of slots) {
      expect(cal.isOpen(s.at)).toBe(true);
      expect(s.at % MIN).toBe(0);
    }
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.at - slots[i - 1]!.at).toBeGreaterThanOrEqual(30 * MIN);
    const openHours = cal.openBetween(from, to).reduce((sum, i) => sum + (i.end - i.start), 0) / H;
    const mean = openHours / slots.length;
    expect(mean).toBeGreaterThan(1.8);
    expect(mean).toBeLessThan(2.3);
  });

  it('keeps the minimum gap across midnight when windows touch', () => {
    const t = timeline({ cadence: { meanTimeBetween: '3h', minTimeBetween: '2h' } });
    const slots = t.between(at('2026-01-01 00:00'), at('2026-03-01 00:00'));
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.at - slots[i - 1]!.at).toBeGreaterThanOrEqual(2 * H);
  });

  it('finds the next slot after an instant', () => {
    const t = timeline(spec);
    const next = t.after(at('2026-06-13 00:00'))!; // a Saturday: next is on Monday or later
    expect(next.at).toBeGreaterThanOrEqual(at('2026-06-15 10:00', 'Europe/Paris'));
    expect(t.between(at('2026-06-13 00:00'), next.at + 1)).toEqual([next]);
  });
});

describe('random cadence across daylight-saving transitions (Europe/Paris)', () => {
  const spec = { calendar: { timezone: 'Europe/Paris', windows: [{ hours: '01:00-04:00' }] }, cadence: { meanTimeBetween: '10m', minTimeBetween: '2m' } };

  it('never starts in the skipped spring hour, and uses both real hours of the repeated autumn one', () => {
    const t = timeline(spec);
    const spring = t.between(at('2026-03-29 00:00', 'Europe/Paris'), at('2026-03-29 06:00', 'Europe/Paris'));
    expect(spring.length).toBeGreaterThan(5);
    for (const s of spring) expect(local(s.at, 'Europe/Paris')).toMatch(/ 0(1:\d\d GMT\+1|3:\d\d GMT\+2)$/);
    const autumn = t.between(at('2026-10-25 00:00', 'Europe/Paris'), at('2026-10-25 06:00', 'Europe/Paris'));
    const cal = new Calendar(schedule(spec).spec.calendar);
    const [w] = cal.openBetween(at('2026-10-25 00:00', 'Europe/Paris'), at('2026-10-25 06:00', 'Europe/Paris'));
    expect((w!.end - w!.start) / H).toBe(4); // 01:00 CEST to 04:00 CET: four real hours
    for (const s of autumn) expect(cal.isOpen(s.at)).toBe(true);
    // Starts fall in both occurrences of 02:xx.
    expect(autumn.some((s) => local(s.at, 'Europe/Paris').endsWith('GMT+2') && local(s.at, 'Europe/Paris').includes(' 02:'))).toBe(true);
    expect(autumn.some((s) => local(s.at, 'Europe/Paris').endsWith('GMT+1') && local(s.at, 'Europe/Paris').includes(' 02:'))).toBe(true);
  });
});
