// A Chaos Mesh schedule (robfig/cron: five fields, "@every <duration>", "@hourly"...) as a
// faultline cron expression. faultline's schedules have minute granularity and are aligned to the
// clock, so "@every" converts only when it divides an hour or a day evenly.
import { goDurationMs } from './values.js';

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export function cronOf(schedule: unknown): { cron: string; note?: string } | { error: string } {
  if (typeof schedule !== 'string' || schedule.trim() === '') return { error: 'a Schedule needs a schedule (a cron expression or "@every <duration>")' };
  const text = schedule.trim();
  if (DESCRIPTORS[text]) return { cron: DESCRIPTORS[text] };
  const every = /^@every\s+(\S+)$/.exec(text);
  if (every) {
    const ms = goDurationMs(every[1]);
    const aligned = 'faultline runs at the start of each period on the clock; Chaos Mesh counts from when the Schedule was created';
    if (ms === undefined) return { error: `schedule ${JSON.stringify(text)}: "${every[1]}" is not a duration` };
    if (ms < 60_000 || ms % 60_000 !== 0) return { error: `schedule ${JSON.stringify(text)}: faultline schedules have minute granularity (every whole minute at most)` };
    const minutes = ms / 60_000;
    if (minutes < 60 && 60 % minutes === 0) return { cron: minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`, note: aligned };
    if (minutes % 60 === 0 && 24 % (minutes / 60) === 0) return { cron: minutes === 1440 ? '0 0 * * *' : `0 */${minutes / 60} * * *`, note: aligned };
    return { error: `schedule ${JSON.stringify(text)}: no cron expression repeats exactly every ${every[1]} (faultline's cadence is a cron expression or a random mean time)` };
  }
  const fields = text.split(/\s+/);
  if (fields.length === 5) return { cron: text };
  return { error: `schedule ${JSON.stringify(text)}: faultline takes five cron fields (minute hour day-of-month month day-of-week)${fields.length === 6 ? ', without seconds' : ''}` };
}
