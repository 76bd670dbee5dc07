// Bad input: every problem is refused before anything starts, located at file:line:col.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { loadSchedule } from '../../src/spec/load-schedule.js';
import { at } from './helpers.js';

const NOW = at('2026-06-01 00:00');

const goodExperiment = (name: string) => `apiVersion: faultline/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  driver: process
  services:
    app: { command: [node, app.js] }
  targets:
    app: { selector: { names: [app] } }
  faults:
    - kill: { target: app }
`;

function workspace(schedule: string, experiments: Record<string, string> = { 'experiments/a.yaml': goodExperiment('a'), 'experiments/b.yaml': goodExperiment('b') }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-schedule-'));
  for (const [f, text] of Object.entries(experiments)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  writeFileSync(path.join(dir, 'schedule.yaml'), schedule);
  return path.join(dir, 'schedule.yaml');
}

const scheduleText = (spec: string) => `apiVersion: faultline/v1
kind: Schedule
metadata: { name: monkey }
spec:
${spec}
`;

async function problems(spec: string, experiments?: Record<string, string>): Promise<string> {
  const err = await loadSchedule(workspace(scheduleText(spec), experiments), NOW).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidInputError);
  return (err as Error).message;
}

describe('loading a schedule', () => {
  it('loads experiments listed by path or by directory, relative to the schedule file', async () => {
    const byDir = await loadSchedule(workspace(scheduleText('  experiments: experiments\n  cadence: { meanTimeBetween: 2h }')), NOW);
    expect(byDir.experiments.map((e) => e.experiment.metadata.name)).toEqual(['a', 'b']);
    expect(byDir.schedule.spec.calendar.timezone).toBe('UTC');
    expect(byDir.schedule.spec.onObjectiveMissed).toBe('pause');
    const byPath = await loadSchedule(workspace(scheduleText('  experiments: [experiments/b.yaml]\n  cadence: { cron: "0 * * * *" }')), NOW);
    expect(byPath.experiments.map((e) => e.experiment.metadata.name)).toEqual(['b']);
  });

  it('refuses to start with an invalid experiment, and names it with its own located problems', async () => {
    const message = await problems('  experiments: experiments\n  cadence: { meanTimeBetween: 2h }', {
      'experiments/a.yaml': goodExperiment('a'),
      'experiments/broken.yaml': goodExperiment('broken').replace('target: app', 'target: nope'),
    });
    expect(message).toMatch(/schedule\.yaml:5:\d+: spec\.experiments\[0\]: experiment .*broken\.yaml is invalid, so the schedule cannot start/);
    expect(message).toMatch(/broken\.yaml:11:\d+: spec\.faults\[0\]\.kill\.target: .*nope/);
  });

  it('names a missing experiment file', async () => {
    expect(await problems('  experiments: [missing.yaml]\n  cadence: { meanTimeBetween: 2h }')).toMatch(/spec\.experiments\[0\]: no such experiment file or directory: .*missing\.yaml/);
  });

  it('rejects an unknown time zone with a suggestion', async () => {
    const message = await problems('  experiments: experiments\n  calendar: { timezone: Europe/Pari }\n  cadence: { meanTimeBetween: 2h }');
    expect(message).toMatch(/schedule\.yaml:6:\d+: spec\.calendar\.timezone: unknown time zone "Europe\/Pari", did you mean "Europe\/Paris"\?/);
  });

  it('rejects empty, midnight-crossing and overlapping windows, and bad days and hours', async () => {
    const message = await problems(`  experiments: experiments
  calendar:
    windows:
      - { days: Mon-Fri, hours: "10:00-16:00" }
      - { days: [Wed, Sat], hours: "15:00-17:00" }
      - { hours: "12:00-12:00" }
      - { hours: "22:00-06:00" }
  cadence: { meanTimeBetween: 2h }`);
    expect(message).toMatch(/:9:\d+: spec\.calendar\.windows\[1\]: this window overlaps windows\[0\] on Wed from 15:00 to 16:00/);
    expect(message).toMatch(/:10:\d+: spec\.calendar\.windows\[2\]\.hours: the window 12:00-12:00 is empty/);
    expect(message).toMatch(/:11:\d+: spec\.calendar\.windows\[3\]\.hours: the window 22:00-06:00 crosses midnight: write two windows, "22:00-24:00" and "00:00-06:00"/);
    const syntax = await problems('  experiments: experiments\n  calendar: { windows: [ { days: Mon-Fir, hours: "10-16" } ] }\n  cadence: { meanTimeBetween: 2h }');
    expect(syntax).toMatch(/spec\.calendar\.windows\[0\]\.days: unknown day "Fir", did you mean "Fri"\?/);
    expect(syntax).toMatch(/spec\.calendar\.windows\[0\]\.hours: "10-16" is not a range of hours/);
  });

  it('rejects a cadence that can never fit', async () => {
    expect(await problems('  experiments: experiments\n  cadence: { meanTimeBetween: 30m, minTimeBetween: 1h }')).toMatch(/spec\.cadence\.minTimeBetween: minTimeBetween \(1h\) must be below meanTimeBetween \(30m\)/);
    expect(await problems('  experiments: experiments\n  calendar: { windows: [ { hours: "10:00-16:00" } ] }\n  cadence: { cron: "0 20 * * *" }')).toMatch(/:7:\d+: spec\.cadence\.cron: cron "0 20 \* \* \*" never fires inside a window \(outside blackouts\) in the next 366 days, in UTC time/);
    expect(await problems('  experiments: experiments\n  cadence: { cron: "0 0 31 2 *" }')).toMatch(/never fires inside a window/);
    expect(await problems('  experiments: experiments\n  cadence: { cron: "0 25 * * *" }')).toMatch(/spec\.cadence\.cron: cron "0 25 \* \* \*": hour "25" is not a number between 0 and 23/);
    expect(await problems('  experiments: experiments\n  calendar: { blackouts: [ { every: year, from: "01-01", to: "12-31" } ] }\n  cadence: { meanTimeBetween: 2h }')).toMatch(/spec\.calendar: the calendar is never open in the next 366 days/);
    expect(await problems('  experiments: experiments\n  cadence: { meanTimeBetween: 2h, minTimeBetween: 1h, cron: "* * * * *" }')).toMatch(/spec\.cadence/);
  });

  it('rejects bad blackouts', async () => {
    const message = await problems(`  experiments: experiments
  calendar:
    blackouts:
      - { from: 2026-12-20, to: 2026-12-01 }
      - { every: year, from: "13-01", to: "12-26" }
      - { from: 2026-02-30, to: 2026-03-01 }
  cadence: { meanTimeBetween: 2h }`);
    expect(message).toMatch(/spec\.calendar\.blackouts\[1\]\.from: "13-01" is not a day of the year/);
    expect(message).toMatch(/spec\.calendar\.blackouts\[2\]\.from: 2026-02-30 is not a date in the calendar/);
    const order = await problems('  experiments: experiments\n  calendar: { blackouts: [ { from: 2026-12-20, to: 2026-12-01 } ] }\n  cadence: { meanTimeBetween: 2h }');
    expect(order).toMatch(/spec\.calendar\.blackouts\[0\]\.to: this blackout ends before it starts/);
  });
});
