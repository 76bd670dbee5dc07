// The sequence of instants at which the schedule starts an experiment, which experiment, and the
// seed its run uses. A pure function of the schedule and its seed: instants of a local day come
// from that day's own random stream, so any stretch of the timeline is the same whether it is
// computed by a preview last week or by a daemon started this morning.
import type { CadenceSpec } from '../domain/schedule.js';
import { randomStream } from '../runtime/random.js';
import type { Calendar, Interval } from './calendar.js';
import { cronDayMatches, parseCron, type CronFields } from './cron.js';
import { DAY_MINUTES, isoDate, MINUTE, weekdayOf, ymdOf, type DayNumber } from './zone.js';

export interface Slot {
  /** Epoch milliseconds, on a whole minute. */
  at: number;
  /** Index into the schedule's experiment list. */
  experiment: number;
  /** The seed the run (and its victim selection) uses. */
  seed: string;
}

export interface TimelineOptions {
  calendar: Calendar;
  cadence: CadenceSpec;
  seed: string;
  experiments: number;
}

export class Timeline {
  private readonly cron: CronFields | undefined;
  private readonly rawCache = new Map<DayNumber, number[]>();

  constructor(private readonly o: TimelineOptions) {
    if ('cron' in o.cadence) {
      const c = parseCron(o.cadence.cron);
      if ('error' in c) throw new Error(c.error);
      this.cron = c;
    }
  }

  /** Slots with from <= at < to, in order. */
  between(from: number, to: number): Slot[] {
    const zone = this.o.calendar.zone;
    const out: Slot[] = [];
    for (let day = zone.dayOf(from) - 1; day <= zone.dayOf(to); day++) {
      for (const at of this.instantsOn(day)) if (at >= from && at < to) out.push(this.slotAt(at));
    }
    return out.sort((a, b) => a.at - b.at);
  }

  /** The first slot strictly after `t`, looking at most `horizonDays` ahead. */
  after(t: number, horizonDays = 400): Slot | undefined {
    const zone = this.o.calendar.zone;
    const first = zone.dayOf(t) - 1;
    for (let day = first; day <= first + horizonDays; day++) {
      const at = this.instantsOn(day).find((x) => x > t);
      if (at !== undefined) return this.slotAt(at);
    }
    return undefined;
  }

  slotAt(at: number): Slot {
    const iso = new Date(at).toISOString().slice(0, 16);
    const pick = randomStream(this.o.seed, `experiment/${iso}`)();
    return { at, experiment: Math.min(this.o.experiments - 1, Math.floor(pick * this.o.experiments)), seed: `${this.o.seed}/${iso}Z` };
  }

  /** Instants of local day `day`, after the minimum spacing to earlier days is applied. */
  instantsOn(day: DayNumber): number[] {
    const raw = this.rawOn(day);
    if (this.cron || raw.length === 0) return raw;
    const min = (this.o.cadence as { minTimeBetween: number }).minTimeBetween;
    const before = this.lastRawBefore(day, raw[0]! - min);
    // An instant too close to the previous day's last one is dropped, never moved: moving would make
    // this day depend on that one's drop decisions, and so on back to the beginning of time.
    return before === undefined ? raw : raw.filter((at) => at - before >= min);
  }

  /** The latest raw instant of the days before `day`, if it is later than `notBefore`. */
  private lastRawBefore(day: DayNumber, notBefore: number): number | undefined {
    const zone = this.o.calendar.zone;
    for (let d = day - 1; zone.startOfDay(d + 1) > notBefore; d--) {
      const raw = this.rawOn(d);
      if (raw.length > 0) return raw.at(-1)! > notBefore ? raw.at(-1) : undefined;
    }
    return undefined;
  }

  private rawOn(day: DayNumber): number[] {
    let raw = this.rawCache.get(day);
    if (!raw) {
      const open = this.o.calendar.openOn(day);
      raw = this.cron ? cronInstants(this.cron, open, this.o.calendar) : this.randomInstants(open, day);
      if (this.rawCache.size > 4000) this.rawCache.clear();
      this.rawCache.set(day, raw);
    }
    return raw;
  }

  /**
   * A Poisson process over open time only: gaps are minTimeBetween plus an exponential with the
   * rest of the mean, counted in whole minutes of open time and mapped back onto the intervals.
   * A fresh start each day is statistically the same process (the exponential is memoryless).
   */
  private randomInstants(open: Interval[], day: DayNumber): number[] {
    const cadence = this.o.cadence as { meanTimeBetween: number; minTimeBetween: number };
    const minM = Math.ceil(cadence.minTimeBetween / MINUTE);
    const restM = Math.max(1, cadence.meanTimeBetween / MINUTE - minM);
    const total = open.reduce((s, i) => s + Math.floor((i.end - i.start) / MINUTE), 0);
    const rng = randomStream(this.o.seed, `instants/${isoDate(day)}`);
    const exp = () => Math.round(-Math.log(1 - rng()) * restM);
    const out: number[] = [];
    for (let pos = exp(); pos < total; pos += Math.max(1, minM + exp())) out.push(atOpenMinute(open, pos));
    return out;
  }
}

function atOpenMinute(open: Interval[], pos: number): number {
  let left = pos;
  for (const i of open) {
    const len = Math.floor((i.end - i.start) / MINUTE);
    if (left < len) return i.start + left * MINUTE;
    left -= len;
  }
  throw new Error('position beyond open time');
}

/**
 * Cron instants inside the open intervals. A wall time shown twice (autumn) fires once, the first
 * time; one skipped by the clock (spring) does not fire.
 */
function cronInstants(cron: CronFields, open: Interval[], calendar: Calendar): number[] {
  const zone = calendar.zone;
  const out: number[] = [];
  const seen = new Set<number>();
  for (const i of open) {
    const startMin = Math.ceil(i.start / MINUTE);
    const endMin = Math.ceil(i.end / MINUTE);
    // Offsets are looked up per minute only across a transition; Intl lookups are the cost here.
    const steady = zone.offset(i.start) === zone.offset(i.end - 1);
    const offset = zone.offset(i.start);
    for (let m = startMin; m < endMin; m++) {
      const wall = steady ? m + offset : zone.wallMinutes(m * MINUTE);
      const wallDay = Math.floor(wall / DAY_MINUTES);
      const minuteOfDay = wall - wallDay * DAY_MINUTES;
      if (!cron.hours.has(Math.floor(minuteOfDay / 60)) || !cron.minutes.has(minuteOfDay % 60)) continue;
      const { month, day: dom } = ymdOf(wallDay);
      if (!cronDayMatches(cron, { month, day: dom, weekday: weekdayOf(wallDay) % 7 })) continue;
      if (seen.has(wall)) continue;
      seen.add(wall);
      out.push(m * MINUTE);
    }
  }
  return out;
}

/** True when the cron expression fires at least once inside open time within `days` days of `from`. */
export function cronFitsCalendar(cron: CronFields, calendar: Calendar, from: number, days: number): boolean {
  const first = calendar.zone.dayOf(from);
  for (let day = first; day < first + days; day++) {
    if (cronInstants(cron, calendar.openOn(day), calendar).length > 0) return true;
  }
  return false;
}
