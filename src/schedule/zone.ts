// Wall-clock arithmetic in one IANA time zone, at minute granularity. A "local day" is a calendar
// date in the zone; a wall time on it is resolved to the first real instant at which the local
// clock shows that time or later, which settles both daylight-saving transitions the same way:
// a time skipped in spring resolves to the instant the clock jumps, and a time shown twice in
// autumn resolves to its first occurrence.
import { IANAZone } from 'luxon';

export const MINUTE = 60_000;
export const DAY_MINUTES = 1440;

/** A local calendar date, counted in days since 1970-01-01 (proleptic Gregorian, zone-free). */
export type DayNumber = number;

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

export function dayNumber(d: Ymd): DayNumber {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);
}

export function ymdOf(day: DayNumber): Ymd {
  const t = new Date(day * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function weekdayOf(day: DayNumber): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function isoDate(day: DayNumber): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export class Zone {
  private readonly zone: IANAZone;

  constructor(readonly name: string) {
    const z = IANAZone.create(name);
    if (!z.isValid) throw new Error(`unknown time zone "${name}"`);
    this.zone = z;
  }

  /** UTC offset in minutes at an instant. */
  offset(t: number): number {
    return this.zone.offset(t);
  }

  /** The local wall time of an instant, as minutes since 1970-01-01 00:00 local. */
  wallMinutes(t: number): number {
    return Math.floor(t / MINUTE) + this.offset(t);
  }

  /** The local date of an instant. */
  dayOf(t: number): DayNumber {
    return Math.floor(this.wallMinutes(t) / DAY_MINUTES);
  }

  /**
   * The first instant at which the local clock shows `minute` (since local midnight, may be 1440 =
   * the next midnight) on `day`, or later. Zones change offset at most once around any wall time,
   * so the offsets a little before and after bound the candidates.
   */
  resolve(day: DayNumber, minute: number): number {
    const wall = day * DAY_MINUTES + minute;
    const guess = wall * MINUTE;
    const offsets = [...new Set([this.offset(guess - 86_400_000), this.offset(guess), this.offset(guess + 86_400_000)])];
    const valid = offsets.map((o) => (wall - o) * MINUTE).filter((t) => this.wallMinutes(t) === wall);
    if (valid.length > 0) return Math.min(...valid);
    // A gap: the clock jumps over `wall`. Find, to the minute, the first instant it shows more.
    let lo = (wall - Math.max(...offsets)) / 1;
    let hi = (wall - Math.min(...offsets)) / 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.wallMinutes(mid * MINUTE) >= wall) hi = mid;
      else lo = mid;
    }
    return hi * MINUTE;
  }

  /** Start of the local day, as an instant. */
  startOfDay(day: DayNumber): number {
    return this.resolve(day, 0);
  }
}
