// Five-field cron expressions ("minute hour day-of-month month day-of-week"), matched against a
// local wall time. Semantics follow Vixie cron: 0 and 7 are Sunday, names (JAN, MON) are accepted,
// and when both day fields are restricted a day matches if either does.

export interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday ... 6 = Saturday. */
  daysOfWeek: Set<number>;
  /** Both day fields restricted: a day matches when either matches. */
  eitherDay: boolean;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Offset of names[0]. */
  nameBase?: number;
}

const FIELDS: FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

export function parseCron(text: string): CronFields | { error: string } {
  const expanded = MACROS[text.trim().toLowerCase()] ?? text.trim();
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) return { error: `"${text}" is not a cron expression: it needs 5 fields (minute hour day-of-month month day-of-week), e.g. "*/30 10-15 * * 1-5"; found ${parts.length}` };
  const sets: Set<number>[] = [];
  for (const [i, part] of parts.entries()) {
    const set = parseField(part, FIELDS[i]!);
    if ('error' in set) return { error: `cron "${text}": ${set.error}` };
    sets.push(set.values);
  }
  const dow = sets[4]!;
  if (dow.has(7)) {
    dow.delete(7);
    dow.add(0);
  }
  const domRestricted = !parts[2]!.startsWith('*');
  const dowRestricted = !parts[4]!.startsWith('*');
  return {
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth: sets[2]!,
    months: sets[3]!,
    daysOfWeek: dow,
    eitherDay: domRestricted && dowRestricted,
    domRestricted,
    dowRestricted,
  };
}

function parseField(text: string, def: FieldDef): { values: Set<number> } | { error: string } {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === undefined || range === '') return { error: `bad ${def.name} "${item}"` };
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) return { error: `bad step "${stepText}" in ${def.name} "${item}"` };
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = def.min;
      hi = def.name === 'day of week' ? 6 : def.max;
    } else {
      const ends = range.split('-');
      if (ends.length > 2) return { error: `bad range "${range}" in ${def.name}` };
      const nums = ends.map((e) => value(e, def));
      const bad = nums.findIndex((n) => n === undefined);
      if (bad >= 0) return { error: `${def.name} "${ends[bad]}" is not a number between ${def.min} and ${def.max}${def.names ? ` or a name (${def.names.join(', ')})` : ''}` };
      lo = nums[0]!;
      // "a/n" means from a to the end, stepping n.
      hi = nums[1] ?? (stepText !== undefined ? def.max : lo);
      if (hi < lo) return { error: `${def.name} range "${range}" runs backwards` };
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values };
}

function value(text: string, def: FieldDef): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= def.min && n <= def.max ? n : undefined;
  }
  const i = def.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + (def.nameBase ?? 0) : undefined;
}

export interface WallTime {
  month: number;
  day: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
  hour: number;
  minute: number;
}

export function cronDayMatches(c: CronFields, t: Pick<WallTime, 'month' | 'day' | 'weekday'>): boolean {
  if (!c.months.has(t.month)) return false;
  const dom = c.daysOfMonth.has(t.day);
  const dow = c.daysOfWeek.has(t.weekday);
  if (c.eitherDay) return dom || dow;
  return (!c.domRestricted || dom) && (!c.dowRestricted || dow);
}

export function cronMatches(c: CronFields, t: WallTime): boolean {
  return c.minutes.has(t.minute) && c.hours.has(t.hour) && cronDayMatches(c, t);
}
