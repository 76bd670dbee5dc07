// Checks across fields of a schedule that the schema cannot express: windows that are empty or
// overlap, blackouts that end before they start, a cadence that can never fit the calendar. Each
// problem carries its document path so the loader can point at file:line:col. It belongs to the
// file format, so it lives beside the loader and asks the scheduler's calendar and cron (which know
// nothing of files) whether a cadence can fit.
import { WEEKDAYS, type HourRange, type Schedule } from '../domain/schedule.js';
import { formatDuration } from '../domain/units.js';
import { absoluteInterval, Calendar } from '../schedule/calendar.js';
import { parseCron } from '../schedule/cron.js';
import { cronFitsCalendar } from '../schedule/timeline.js';
import { MINUTE } from '../schedule/zone.js';
import type { Problem } from './problem.js';

/** How far ahead "can never fit" looks. */
export const FIT_HORIZON_DAYS = 366;

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export function checkSchedule(schedule: Schedule, now: number): Problem[] {
  const { calendar, cadence } = schedule.spec;
  const problems: Problem[] = [];
  const windows = calendar.windows ?? [];
  const whole: HourRange = { start: 0, end: 1440 };

  windows.forEach((w, i) => {
    const h = w.hours ?? whole;
    if (h.start === h.end) problems.push({ path: ['spec', 'calendar', 'windows', i, 'hours'], message: `the window ${hhmm(h.start)}-${hhmm(h.end)} is empty: it opens and closes at the same time` });
    else if (h.start > h.end) problems.push({ path: ['spec', 'calendar', 'windows', i, 'hours'], message: `the window ${hhmm(h.start)}-${hhmm(h.end)} crosses midnight: write two windows, "${hhmm(h.start)}-24:00" and "00:00-${hhmm(h.end)}"` });
  });
  windows.forEach((b, j) => {
    const hb = b.hours ?? whole;
    for (let i = 0; i < j; i++) {
      const a = windows[i]!;
      const ha = a.hours ?? whole;
      if (!(ha.start < ha.end && hb.start < hb.end)) continue;
      const days = (a.days ?? [1, 2, 3, 4, 5, 6, 7]).filter((x) => (b.days ?? [1, 2, 3, 4, 5, 6, 7]).includes(x));
      const from = Math.max(ha.start, hb.start);
      const to = Math.min(ha.end, hb.end);
      if (days.length > 0 && from < to) {
        problems.push({ path: ['spec', 'calendar', 'windows', j], message: `this window overlaps windows[${i}] on ${days.map((x) => WEEKDAYS[x - 1]).join(', ')} from ${hhmm(from)} to ${hhmm(to)}: merge them or make them disjoint` });
        break;
      }
    }
  });

  calendar.blackouts.forEach((b, i) => {
    const path = ['spec', 'calendar', 'blackouts', i];
    if (!('every' in b)) {
      const span = absoluteInterval(new Calendar(calendar).zone, b.from, b.to);
      if (span.end <= span.start) problems.push({ path: [...path, 'to'], message: 'this blackout ends before it starts' });
    } else if (b.every === 'day' && b.hours.start === b.hours.end) {
      problems.push({ path: [...path, 'hours'], message: 'this blackout is empty: it starts and ends at the same time' });
    }
  });

  if ('meanTimeBetween' in cadence) {
    if (cadence.minTimeBetween >= cadence.meanTimeBetween) {
      problems.push({ path: ['spec', 'cadence', 'minTimeBetween'], message: `minTimeBetween (${formatDuration(cadence.minTimeBetween)}) must be below meanTimeBetween (${formatDuration(cadence.meanTimeBetween)}): no sequence of starts can average less than its minimum gap` });
    }
  } else {
    const cron = parseCron(cadence.cron);
    if ('error' in cron) problems.push({ path: ['spec', 'cadence', 'cron'], message: cron.error });
  }

  // Whether anything can ever run is only meaningful once the calendar itself is sound.
  if (problems.length === 0) problems.push(...fitProblems(schedule, now));
  return problems;
}

function fitProblems(schedule: Schedule, now: number): Problem[] {
  const { calendar: spec, cadence } = schedule.spec;
  const calendar = new Calendar(spec);
  const horizon = now + FIT_HORIZON_DAYS * 86_400_000;
  const open = calendar.openBetween(now, horizon);
  if (open.length === 0) {
    return [{ path: ['spec', 'calendar'], message: `the calendar is never open in the next ${FIT_HORIZON_DAYS} days: every window falls in a blackout` }];
  }
  if ('cron' in cadence) {
    const cron = parseCron(cadence.cron);
    if ('error' in cron) return [];
    if (!cronFitsCalendar(cron, calendar, now, FIT_HORIZON_DAYS)) {
      return [{ path: ['spec', 'cadence', 'cron'], message: `cron "${cadence.cron}" never fires inside a window (outside blackouts) in the next ${FIT_HORIZON_DAYS} days, in ${spec.timezone} time` }];
    }
    return [];
  }
  const longest = Math.max(...open.map((i) => i.end - i.start));
  const total = open.reduce((s, i) => s + (i.end - i.start), 0);
  if (total < MINUTE) return [{ path: ['spec', 'calendar'], message: 'the calendar is open for less than a minute in the next year' }];
  // One start per window is still a schedule; but a minimum gap longer than all open time in a year means at most one start, ever.
  if (cadence.minTimeBetween > total) {
    return [{ path: ['spec', 'cadence', 'minTimeBetween'], message: `minTimeBetween (${formatDuration(cadence.minTimeBetween)}) is longer than all open time in the next ${FIT_HORIZON_DAYS} days (${formatDuration(total)}; longest window ${formatDuration(longest)})` }];
  }
  return [];
}
