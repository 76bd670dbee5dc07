// `faultline schedule preview`: exactly when each experiment would run and, with the seed, which
// targets it would pick. Touches nothing: planning only lists (process driver: nothing at all).
import { DateTime } from 'luxon';
import { FaultlineError, InvalidInputError } from '../domain/errors.js';
import { systemClock } from '../runtime/system-clock.js';
import { Calendar } from '../schedule/calendar.js';
import { Timeline } from '../schedule/timeline.js';
import { loadSchedule } from '../spec/load-schedule.js';
import { planSlot, type DriverFlags } from './schedule-runner.js';
import { scheduleSeed } from './schedule-seed.js';
import type { Terminal } from './terminal.js';

export interface PreviewOptions extends DriverFlags {
  days?: number;
  from?: string;
  json?: boolean;
  seed?: string;
}

export interface PreviewRun {
  at: string;
  local: string;
  experiment: string;
  file: string;
  seed: string;
  targets?: Record<string, string[]>;
  error?: string;
}

export async function schedulePreviewCommand(file: string, o: PreviewOptions, term: Terminal): Promise<number> {
  const now = systemClock.now();
  const loaded = await loadSchedule(file, now);
  const { spec } = loaded.schedule;
  const zone = spec.calendar.timezone;
  const from = o.from ? parseFrom(o.from, zone) : now;
  const days = o.days ?? 7;
  const to = from + days * 86_400_000;
  const seed = scheduleSeed(spec.seed, o.seed);
  const timeline = new Timeline({ calendar: new Calendar(spec.calendar), cadence: spec.cadence, seed: seed.value, experiments: loaded.experiments.length });
  const runs: PreviewRun[] = [];
  const drivers = new Map();
  for (const slot of timeline.between(from, to)) {
    const exp = loaded.experiments[slot.experiment]!;
    const run: PreviewRun = {
      at: new Date(slot.at).toISOString(),
      local: DateTime.fromMillis(slot.at, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ'),
      experiment: exp.experiment.metadata.name,
      file: exp.file,
      seed: slot.seed,
    };
    try {
      run.targets = (await planSlot(exp, slot, o, drivers)).groups;
    } catch (e) {
      // An engine that cannot be reached, a selector that matches nothing today: the instant is
      // still listed, with why its victims are unknown.
      if (!(e instanceof FaultlineError)) throw e;
      run.error = e.message;
    }
    runs.push(run);
  }
  if (o.json) {
    term.out(JSON.stringify({ schedule: loaded.schedule.metadata.name, timezone: zone, seed: seed.value, seedGiven: seed.given, from: new Date(from).toISOString(), to: new Date(to).toISOString(), runs }, null, 2));
    return 0;
  }
  const lines = [`schedule ${loaded.schedule.metadata.name} (${zone}, seed ${seed.value}${seed.given ? '' : ' — fresh: set spec.seed or pass --seed so runs follow this preview'})`];
  lines.push(`${runs.length} run${runs.length === 1 ? '' : 's'} from ${DateTime.fromMillis(from, { zone }).toFormat('yyyy-MM-dd HH:mm')} for ${days} day${days === 1 ? '' : 's'}:`);
  const width = Math.max(0, ...runs.map((r) => r.experiment.length));
  for (const r of runs) {
    const targets = r.error ? `targets unknown: ${r.error.split('\n')[0]}` : Object.entries(r.targets ?? {}).map(([g, v]) => `${g}: ${v.join(', ')}`).join('; ');
    lines.push(`  ${r.local}  ${r.experiment.padEnd(width)}  ${targets}`);
  }
  term.out(lines.join('\n'));
  return 0;
}

/** "2026-06-15" is that day's local midnight in the schedule's zone; an ISO instant is taken as given. */
function parseFrom(text: string, zone: string): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone }) : DateTime.fromISO(text, { zone, setZone: false });
  if (!t.isValid) throw new InvalidInputError(`--from ${text}: expected a date ("2026-06-15") or a date and time ("2026-06-15T10:00", local to the schedule's zone)`);
  return t.toMillis();
}
