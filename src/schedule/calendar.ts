// When experiments may start: the windows of a calendar minus its blackouts, as real-time
// intervals. Everything is computed one local day at a time, so a day's answer never depends on
// where a computation started — a preview and a daemon agree to the minute.
import type { BlackoutSpec, CalendarSpec, HourRange, LocalDate } from '../domain/schedule.js';
import { DAY_MINUTES, dayNumber, weekdayOf, ymdOf, Zone, type DayNumber } from './zone.js';

/** A half-open real-time interval [start, end), epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

export interface Blocked extends Interval {
  reason: string;
}

export class Calendar {
  readonly zone: Zone;
  private readonly cache = new Map<DayNumber, Interval[]>();

  constructor(readonly spec: CalendarSpec) {
    this.zone = new Zone(spec.timezone);
  }

  /** Open intervals that start on local day `day`, sorted and disjoint. */
  openOn(day: DayNumber): Interval[] {
    let open = this.cache.get(day);
    if (!open) {
      open = subtract(this.windowsOn(day), this.blockedAround(day));
      if (this.cache.size > 4000) this.cache.clear();
      this.cache.set(day, open);
    }
    return open;
  }

  /** Open time between two instants, merged across midnight. */
  openBetween(from: number, to: number): Interval[] {
    const out: Interval[] = [];
    for (let day = this.zone.dayOf(from) - 1; day <= this.zone.dayOf(to); day++) {
      for (const i of this.openOn(day)) {
        const start = Math.max(i.start, from);
        const end = Math.min(i.end, to);
        if (start >= end) continue;
        const last = out.at(-1);
        if (last && last.end >= start) last.end = Math.max(last.end, end);
        else out.push({ start, end });
      }
    }
    return out;
  }

  isOpen(t: number): boolean {
    const day = this.zone.dayOf(t);
    return [day - 1, day].some((d) => this.openOn(d).some((i) => i.start <= t && t < i.end));
  }

  /** The blackouts covering an instant, with their reasons. */
  blackoutsAt(t: number): Blocked[] {
    const day = this.zone.dayOf(t);
    return this.blockedAround(day).filter((b) => b.start <= t && t < b.end);
  }

  private windowsOn(day: DayNumber): Interval[] {
    const windows = this.spec.windows ?? [{}];
    const weekday = weekdayOf(day);
    const out: Interval[] = [];
    for (const w of windows) {
      if (w.days && !w.days.includes(weekday)) continue;
      const hours = w.hours ?? { start: 0, end: DAY_MINUTES };
      if (hours.start >= hours.end) continue;
      const start = this.zone.resolve(day, hours.start);
      const end = this.zone.resolve(day, hours.end);
      // A window wholly inside a spring-forward gap never opens that day.
      if (start < end) out.push({ start, end });
    }
    return out.sort((a, b) => a.start - b.start);
  }

  /** Blackouts that touch local day `day` (daily ones may start the evening before). */
  private blockedAround(day: DayNumber): Blocked[] {
    const out: Blocked[] = [];
    for (const b of this.spec.blackouts) {
      for (const d of [day - 1, day]) {
        const i = this.blackoutOn(b, d);
        if (i) out.push(i);
      }
    }
    return out;
  }

  private wholeDay(day: DayNumber, reason: string): Blocked {
    return { start: this.zone.startOfDay(day), end: this.zone.startOfDay(day + 1), reason };
  }

  /** The part of blackout `b` that starts on local day `day`, if any. */
  private blackoutOn(b: BlackoutSpec, day: DayNumber): Blocked | undefined {
    const reason = b.reason ?? 'blackout';
    if (!('every' in b)) {
      // Absolute: one interval; report it on the days it covers so lookups stay local.
      const i = absoluteInterval(this.zone, b.from, b.to);
      const dayStart = this.zone.startOfDay(day);
      const dayEnd = this.zone.startOfDay(day + 1);
      return i.start < dayEnd && i.end > dayStart ? { start: Math.max(i.start, dayStart), end: Math.min(i.end, dayEnd), reason } : undefined;
    }
    const { month, day: dom, year } = ymdOf(day);
    switch (b.every) {
      case 'year': {
        const key = month * 100 + dom;
        const from = b.from.month * 100 + b.from.day;
        const to = b.to.month * 100 + b.to.day;
        const inside = from <= to ? key >= from && key <= to : key >= from || key <= to;
        return inside ? this.wholeDay(day, reason) : undefined;
      }
      case 'month': {
        const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const from = Math.min(b.from, length);
        const to = Math.min(b.to, length);
        const inside = from <= to ? dom >= from && dom <= to : dom >= from || dom <= to;
        return inside ? this.wholeDay(day, reason) : undefined;
      }
      case 'day': {
        if (b.days && !b.days.includes(weekdayOf(day))) return undefined;
        const h: HourRange = b.hours;
        if (h.start === h.end) return undefined;
        const endDay = h.end > h.start ? day : day + 1;
        const start = this.zone.resolve(day, h.start);
        const end = this.zone.resolve(endDay, h.end);
        return start < end ? { start, end, reason } : undefined;
      }
    }
  }
}

/** An absolute blackout: a date starts at its midnight; a `to` date is inclusive, a `to` time exclusive. */
export function absoluteInterval(zone: Zone, from: LocalDate, to: LocalDate): Interval {
  const start = zone.resolve(dayNumber(from), from.minute ?? 0);
  const end = to.minute === undefined ? zone.resolve(dayNumber(to) + 1, 0) : zone.resolve(dayNumber(to), to.minute);
  return { start, end };
}

/** `a` minus every interval of `b`. Both sorted or not; the result is sorted and disjoint. */
export function subtract(a: Interval[], b: Interval[]): Interval[] {
  let out = a.map((i) => ({ ...i }));
  for (const cut of b) {
    const next: Interval[] = [];
    for (const i of out) {
      if (cut.end <= i.start || cut.start >= i.end) {
        next.push(i);
        continue;
      }
      if (cut.start > i.start) next.push({ start: i.start, end: cut.start });
      if (cut.end < i.end) next.push({ start: cut.end, end: i.end });
    }
    out = next;
  }
  return out.sort((x, y) => x.start - y.start);
}
