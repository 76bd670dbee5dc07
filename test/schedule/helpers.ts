// Building schedules for tests from the same schema files use, with instants written in words.
import { DateTime } from 'luxon';
import { Calendar as CalendarSchema, Schedule, type CalendarSpec } from '../../src/domain/schedule.js';
import { Calendar } from '../../src/schedule/calendar.js';

export function calendar(input: Record<string, unknown>): Calendar {
  return new Calendar(CalendarSchema.parse(input) as CalendarSpec);
}

/** An instant from a local time in a zone: at('2026-03-29 02:30', 'Europe/Paris'). */
export function at(local: string, zone = 'UTC'): number {
  const t = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone });
  if (!t.isValid) throw new Error(`bad test time ${local}`);
  return t.toMillis();
}

export const utc = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

export function local(t: number, zone: string): string {
  return DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm ZZZZ');
}

export function schedule(spec: Record<string, unknown>): Schedule {
  return Schedule.parse({ apiVersion: 'faultline/v1', kind: 'Schedule', metadata: { name: 's' }, spec: { experiments: ['x.yaml'], ...spec } });
}
