// A daemon whose Docker engine is gone: each attempt fails with an environment error; it logs,
// backs off, retries while the instant is recent enough, and keeps its schedule. The preview says
// the victims are unknown instead of failing.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schedulePreviewCommand, type PreviewRun } from '../../src/cli/schedule-preview.js';
import { scheduleRunCommand } from '../../src/cli/schedule-run.js';
import { at } from './helpers.js';
import { scaledClock } from './scaled-clock.js';
import { captureTerminal, workspace } from './support.js';

const NOWHERE = 'tcp://127.0.0.1:27599';

const dockerExperiment = `apiVersion: faultline/v1
kind: Experiment
metadata: { name: kill-web }
spec:
  driver: docker
  targets:
    web: { selector: { labels: { app: web } }, pick: { count: 1 } }
  faults:
    - kill: { target: web }
`;

describe('a daemon that loses its engine', () => {
  it('logs, backs off, retries and keeps its schedule', async () => {
    const dir = workspace({
      'experiments/kill-web.yaml': dockerExperiment,
      'schedule.yaml': 'apiVersion: faultline/v1\nkind: Schedule\nmetadata: { name: docker-monkey }\nspec:\n  experiments: experiments\n  cadence: { cron: "*/10 * * * *" }\n  seed: 3\n',
    });
    const file = path.join(dir, 'schedule.yaml');
    const stop = new AbortController();
    const term = captureTerminal();
    // 10 minutes pass in two real seconds.
    const daemon = scheduleRunCommand(file, { stateDir: path.join(dir, 'state'), out: path.join(dir, 'runs'), dockerHost: NOWHERE }, term, {
      clock: scaledClock(at('2026-06-15 09:50'), 300),
      stop: stop.signal,
      pollMs: 5000,
    });
    // How long a refused connection takes varies with the machine's load; what is asserted does not.
    const dueStarts = () => new Set([...term.text().matchAll(/(\S+Z) kill-web: starting \(due; seed 3\/\1\)/g)].map((m) => m[1]));
    const end = Date.now() + 40_000;
    while (!(dueStarts().size >= 2 && /backing off 60s/.test(term.text())) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    stop.abort('test');
    expect(await daemon).toBe(0);
    const text = term.text();
    const [first] = [...dueStarts()];
    expect(text).toMatch(new RegExp(`error schedule: ${first} kill-web: the environment cannot be used: cannot reach the Docker engine at tcp://127\\.0\\.0\\.1:27599.*; backing off 30s, then retrying; the schedule is kept`));
    expect(text).toMatch(/kill-web: starting \(retry; seed 3\/\S+Z\)/);
    expect(text).toMatch(/backing off 60s/);
    // The schedule went on: a later instant was attempted when due, with its own seed.
    expect(dueStarts().size).toBeGreaterThanOrEqual(2);
    // Nothing ran, so no run has a journal.
    const runs = path.join(dir, 'runs');
    expect(existsSync(runs) ? readdirSync(runs).filter((d) => existsSync(path.join(runs, d, 'journal.json'))) : []).toEqual([]);
  });

  it('preview says the victims are unknown, and why', async () => {
    const dir = workspace({
      'experiments/kill-web.yaml': dockerExperiment,
      'schedule.yaml': 'apiVersion: faultline/v1\nkind: Schedule\nmetadata: { name: docker-monkey }\nspec:\n  experiments: experiments\n  cadence: { cron: "0 12 * * *" }\n  seed: 3\n',
    });
    const term = captureTerminal();
    expect(await schedulePreviewCommand(path.join(dir, 'schedule.yaml'), { from: '2026-06-15', days: 2, json: true, dockerHost: NOWHERE }, term)).toBe(0);
    const { runs } = JSON.parse(term.lines[0]!) as { runs: PreviewRun[] };
    expect(runs.map((r) => r.at)).toEqual(['2026-06-15T12:00:00.000Z', '2026-06-16T12:00:00.000Z']);
    expect(runs[0]!.error).toMatch(/cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:27599/);
  });
});
