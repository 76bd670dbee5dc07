// The schedule file format (apiVersion faultline/v1, kind Schedule): which experiments run, when
// (a calendar of windows and blackouts in one time zone), how often (a seeded random cadence or a
// cron expression), and what happens when an objective is missed. Field-level grammar (days,
// hours, dates) is parsed here so errors point at the field; cross-field checks (overlapping
// windows, a cadence that never fits) live in src/spec/check-schedule.ts.
import { z } from 'zod';
import { BRANCH_MARKER, Duration, Name } from './schema-helpers.js';
import { closest } from './suggest.js';

const d = (text: string) => ({ description: text });

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** ISO weekday (1 = Monday ... 7 = Sunday) of a day name, case-insensitive, "Monday" accepted. */
function weekdayOf(text: string): number | undefined {
  const i = WEEKDAYS.findIndex((w) => w.toLowerCase() === text.trim().slice(0, 3).toLowerCase());
  const full = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  const t = text.trim().toLowerCase();
  if (i < 0 || (t.length > 3 && t !== full[i])) return undefined;
  return i + 1;
}

/** "Mon-Fri" (wrapping allowed: "Fri-Mon"), "Sat", or a list of those; the ISO weekdays they name. */
export function parseDays(value: string | string[]): number[] | { error: string } {
  const parts = (Array.isArray(value) ? value : value.split(',')).map((p) => p.trim());
  const days = new Set<number>();
  for (const part of parts) {
    const range = part.split('-');
    if (range.length > 2 || part === '') return { error: `"${part}" is not a day or a range of days: write e.g. "Mon-Fri", "Sat" or [Mon, Wed]` };
    const ends = range.map(weekdayOf);
    const bad = range.find((_, i) => ends[i] === undefined);
    if (bad !== undefined) {
      const guess = closest(bad.trim(), [...WEEKDAYS]);
      return { error: `unknown day "${bad.trim()}"${guess ? `, did you mean "${guess}"?` : ''} (days: ${WEEKDAYS.join(', ')})` };
    }
    const [from, to = from] = ends as number[];
    for (let k = 0; k < 7; k++) {
      const day = ((from! - 1 + k) % 7) + 1;
      days.add(day);
      if (day === to) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/** Minutes since local midnight for "HH:MM"; "24:00" is the end of the day. */
export function parseClock(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}

export interface HourRange {
  /** Minutes since local midnight. */
  start: number;
  /** Minutes since local midnight; 1440 is midnight at the end of the day. */
  end: number;
}

export function parseHours(text: string): HourRange | { error: string } {
  const parts = text.split('-');
  const [a, b] = parts.map((p) => parseClock(p));
  if (parts.length !== 2 || a === undefined || b === undefined) return { error: `"${text}" is not a range of hours: write e.g. "10:00-16:00" (24-hour clock, "24:00" for midnight at the end)` };
  return { start: a, end: b };
}

function parsed<T>(parse: (v: never) => T | { error: string }) {
  return (v: unknown, ctx: z.RefinementCtx): T => {
    const r = parse(v as never);
    if (typeof r === 'object' && r !== null && 'error' in r) {
      ctx.addIssue({ code: 'custom', message: (r as { error: string }).error });
      return z.NEVER;
    }
    return r as T;
  };
}

export const Days = z
  .union([z.string(), z.array(z.string()).min(1)], { error: 'expected days such as "Mon-Fri", "Sat" or [Mon, Wed]' })
  .transform(parsed(parseDays))
  .meta(d('Days of the week: "Mon-Fri", "Sat", "Fri-Mon" (wraps), "Mon,Wed" or a list [Mon, Wed]. Default every day.'));

export const Hours = z
  .string({ error: 'expected hours such as "10:00-16:00"' })
  .transform(parsed(parseHours))
  .meta({ description: 'Local hours "HH:MM-HH:MM", 24-hour clock; "24:00" ends at midnight. A window cannot cross midnight: write two windows.', pattern: '^\\d{1,2}:\\d{2}-\\d{1,2}:\\d{2}$' });

export const Window = z.strictObject({
  days: Days.optional(),
  hours: Hours.optional().meta(d('Local hours the window is open, e.g. "10:00-16:00". Default the whole day.')),
});

/** "2026-12-20" or "2026-12-20T18:00" (local time in the calendar's zone). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
  /** Minutes since local midnight when a time was given. */
  minute?: number;
}

export function parseLocalDate(text: string): LocalDate | { error: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}))?$/.exec(String(text).trim());
  const bad = { error: `"${text}" is not a date: write "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (local time in the calendar's time zone)` };
  if (!m) return bad;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return { error: `${text} is not a date in the calendar` };
  if (m[4] === undefined) return { year, month, day };
  const minute = parseClock(m[4]);
  if (minute === undefined || minute >= 1440) return bad;
  return { year, month, day, minute };
}

export interface MonthDay {
  month: number;
  day: number;
}

export function parseMonthDay(text: string): MonthDay | { error: string } {
  const m = /^(\d{2})-(\d{2})$/.exec(String(text).trim());
  const month = Number(m?.[1]);
  const day = Number(m?.[2]);
  const longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (!m || month < 1 || month > 12 || day < 1 || day > longest[month - 1]!) return { error: `"${text}" is not a day of the year: write "MM-DD", e.g. "12-24"` };
  return { month, day };
}

const reason = z.string().optional().meta(d('Why: shown in previews and logs.'));
const AbsoluteBlackout = z.strictObject({
  from: z.string().transform(parsed(parseLocalDate)).meta(d('First day ("2026-12-20", from its start) or instant ("2026-12-20T18:00") of the blackout, local time.')),
  to: z.string().transform(parsed(parseLocalDate)).meta(d('Last day ("2027-01-04", to its end, inclusive) or the instant it ends ("2027-01-04T08:00"), local time.')),
  reason,
});
const YearlyBlackout = z.strictObject({
  every: z.literal('year'),
  from: z.string().transform(parsed(parseMonthDay)).meta(d('First day, "MM-DD".')),
  to: z.string().transform(parsed(parseMonthDay)).meta(d('Last day, "MM-DD", inclusive; may wrap the new year ("12-31" to "01-01").')),
  reason,
});
const MonthlyBlackout = z.strictObject({
  every: z.literal('month'),
  from: z.int().min(1).max(31).meta(d('First day of the month.')),
  to: z.int().min(1).max(31).meta(d('Last day of the month, inclusive (clamped to the month\'s length); may wrap into the next month.')),
  reason,
});
const DailyBlackout = z.strictObject({
  every: z.literal('day'),
  hours: Hours.meta(d('Local hours blacked out every day, e.g. "12:00-14:00"; may cross midnight ("22:00-06:00").')),
  days: Days.optional().meta(d('Only on these days (the day the blackout starts). Default every day.')),
  reason,
});

const BLACKOUT_FORMS = 'a blackout is {from: 2026-12-20, to: 2027-01-04}, {every: year, from: "12-24", to: "12-26"}, {every: month, from: 1, to: 3} or {every: day, hours: "12:00-14:00"}';
const RECURRENCES = ['year', 'month', 'day'];

export const Blackout = z.union([AbsoluteBlackout, YearlyBlackout, MonthlyBlackout, DailyBlackout], {
  // Explain the form the user evidently meant (by its `every`), not all four at once.
  error: (iss) => {
    const input = iss.input as Record<string, unknown> | null;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return `expected a blackout object: ${BLACKOUT_FORMS}`;
    if (!('every' in input)) return `${BRANCH_MARKER}0`;
    const i = RECURRENCES.indexOf(String(input.every));
    if (i >= 0) return `${BRANCH_MARKER}${i + 1}`;
    const guess = closest(String(input.every), RECURRENCES);
    return `unknown recurrence every: ${JSON.stringify(input.every)}${guess ? `, did you mean "${guess}"?` : ''} (${BLACKOUT_FORMS})`;
  },
});

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z.string().superRefine((zone, ctx) => {
  if (validTimeZone(zone)) return;
  const guess = closest(zone, Intl.supportedValuesOf('timeZone'));
  ctx.addIssue({ code: 'custom', message: `unknown time zone "${zone}"${guess ? `, did you mean "${guess}"?` : ''} (an IANA name such as "Europe/Paris" or "UTC")` });
});

export const Calendar = z.strictObject({
  timezone: TimeZone.default('UTC').meta(d('IANA time zone the windows and blackouts are written in, e.g. "Europe/Paris". Default UTC.')),
  windows: z.array(Window).min(1, 'give at least one window, or leave "windows" out to allow any time').optional().meta(d('When experiments may start. Default: any time.')),
  blackouts: z.array(Blackout).default([]).meta(d('When no experiment may start, even inside a window.')),
});

const RandomCadence = z.strictObject({
  meanTimeBetween: Duration.refine((ms) => ms >= 60_000, 'meanTimeBetween must be at least 1m (the schedule has minute granularity)').meta(d('Average time between two experiments, counting only time inside windows (a Poisson process over window time).')),
  minTimeBetween: Duration.default(0).meta(d('Never two starts closer than this. Default 0s. Must be below meanTimeBetween.')),
});
const CronCadence = z.strictObject({
  cron: z.string().min(1).meta(d('Five fields "minute hour day-of-month month day-of-week" in the calendar\'s time zone, e.g. "*/30 10-15 * * 1-5"; only instants inside a window and outside blackouts count.')),
});
export const Cadence = z.union([RandomCadence, CronCadence], {
  error: (iss) => {
    const input = iss.input as Record<string, unknown> | null;
    const forms = '{meanTimeBetween: 2h, minTimeBetween: 30m} or {cron: "*/30 10-15 * * 1-5"}';
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return `expected a cadence: ${forms}`;
    const random = 'meanTimeBetween' in input || 'minTimeBetween' in input;
    if (random && 'cron' in input) return `a cadence is random or cron, not both: ${forms}`;
    if (random) return `${BRANCH_MARKER}0`;
    if ('cron' in input) return `${BRANCH_MARKER}1`;
    return `expected a cadence: ${forms}`;
  },
});

export const ScheduleSpec = z.strictObject({
  experiments: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .meta(d('Experiment files, or directories of them (every .yaml, .yml and .json inside), relative to the schedule file.')),
  calendar: Calendar.default({ timezone: 'UTC', blackouts: [] }),
  cadence: Cadence,
  concurrency: z.int().min(1).max(64).default(1).meta(d('Experiments that may run at once; two never run at once on overlapping targets. Default 1.')),
  seed: z.union([z.int(), z.string().min(1)]).optional().meta(d('Makes the whole sequence of instants, experiments and victims reproducible. Default: a fresh seed at every start.')),
  onObjectiveMissed: z.enum(['pause', 'continue']).default('pause').meta(d('pause: a missed objective pauses the schedule until `faultline schedule resume`. Default pause.')),
});

export const Schedule = z.strictObject({
  apiVersion: z.literal('faultline/v1', { error: (iss) => `expected apiVersion "faultline/v1" (found ${JSON.stringify(iss.input)})` }),
  kind: z.literal('Schedule', { error: (iss) => `expected kind "Schedule" (found ${JSON.stringify(iss.input)})` }),
  metadata: z.strictObject({ name: Name, description: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
  spec: ScheduleSpec,
});

export type Schedule = z.output<typeof Schedule>;
export type ScheduleSpec = Schedule['spec'];
export type CalendarSpec = z.output<typeof Calendar>;
export type WindowSpec = z.output<typeof Window>;
export type BlackoutSpec = z.output<typeof Blackout>;
export type CadenceSpec = z.output<typeof Cadence>;
