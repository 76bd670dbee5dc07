// The built CLI, as a user or a CronJob runs it: preview, bad input, --once with a missed
// objective that pauses the schedule, resume, history, and a daemon's response to signals.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setHaltLock } from '../../src/ledger/halt-lock.js';
import { REPO } from '../support/kv.js';
import { runCli, startCli, waitForOutput } from '../support/cli.js';
import { killAnyNode, workspace } from './support.js';

const EXAMPLE = path.join(REPO, 'examples/schedules/weekday-monkey.yaml');

describe('faultline schedule (built CLI)', () => {
  it('previews the example: instants in Paris time, experiments and victims, reproducibly', async () => {
    const text = await runCli(['schedule', 'preview', EXAMPLE, '--from', '2026-06-15', '--days', '2']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^schedule weekday-monkey \(Europe\/Paris, seed 2026\)\n\d+ runs from 2026-06-15 00:00 for 2 days:\n/);
    expect(text.stdout).toMatch(/ {2}Mon 2026-06-15 \d\d:\d\d GMT\+2 {2}(kill-any-node|partition-replica) +\S+: \S+/);
    const json = await runCli(['schedule', 'preview', EXAMPLE, '--from', '2026-06-15', '--days', '2', '--json']);
    const again = await runCli(['schedule', 'preview', EXAMPLE, '--from', '2026-06-15', '--days', '2', '--json']);
    expect(json.stdout).toBe(again.stdout);
    const { runs } = JSON.parse(json.stdout) as { runs: { local: string; targets: Record<string, string[]> }[] };
    expect(runs.length).toBeGreaterThan(0);
    // Inside the window, outside the lunch blackout.
    for (const r of runs) {
      const hm = r.local.slice(15, 20);
      expect(hm >= '10:00' && hm < '16:00' && !(hm >= '12:00' && hm < '13:30')).toBe(true);
    }
    // Christmas is blacked out.
    const christmas = JSON.parse((await runCli(['schedule', 'preview', EXAMPLE, '--from', '2026-12-21', '--days', '7', '--json'])).stdout) as { runs: unknown[] };
    expect(christmas.runs).toEqual([]);
  });

  it('refuses an invalid schedule or experiment with exit 2 and located messages', async () => {
    const dir = workspace({
      'experiments/ok.yaml': killAnyNode('ok', 27540),
      'experiments/broken.yaml': killAnyNode('broken', 27540).replace('target: any-node', 'target: nobody'),
      'schedule.yaml': 'apiVersion: faultline/v1\nkind: Schedule\nmetadata: { name: s }\nspec:\n  experiments: experiments\n  cadence: { meanTimeBetween: 1h }\n',
      'bad-zone.yaml': 'apiVersion: faultline/v1\nkind: Schedule\nmetadata: { name: s }\nspec:\n  experiments: experiments/ok.yaml\n  calendar: { timezone: Mars/Olympus }\n  cadence: { meanTimeBetween: 1h }\n',
    });
    const broken = await runCli(['schedule', 'run', path.join(dir, 'schedule.yaml'), '--once', '--state-dir', path.join(dir, 'state')]);
    expect(broken.code, broken.stderr).toBe(2);
    expect(broken.stderr).toMatch(/schedule\.yaml:5:\d+: spec\.experiments\[0\]: experiment \S*broken\.yaml is invalid, so the schedule cannot start/);
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+: spec\.faults\[0\]\.kill\.target/);
    const zone = await runCli(['schedule', 'preview', path.join(dir, 'bad-zone.yaml')]);
    expect(zone.code, zone.stderr).toBe(2);
    expect(zone.stderr).toMatch(/bad-zone\.yaml:6:\d+: spec\.calendar\.timezone: unknown time zone "Mars\/Olympus"/);
  });

  it('--once runs the due experiment; a missed objective pauses the schedule until resume; history lists it', async () => {
    const missed = killAnyNode('kill-primary-fast', 27540).replace('names: [primary, replica]', 'names: [primary]').replace('within: 5s', 'within: 1ms');
    const dir = workspace({
      'experiments/kill.yaml': missed,
      'schedule.yaml': 'apiVersion: faultline/v1\nkind: Schedule\nmetadata: { name: every-minute }\nspec:\n  experiments: experiments\n  cadence: { cron: "* * * * *" }\n  seed: 5\n',
    });
    const file = path.join(dir, 'schedule.yaml');
    const state = path.join(dir, 'state');
    const out = path.join(dir, 'runs');
    const once = await runCli(['schedule', 'run', file, '--once', '--state-dir', state, '--out', out]);
    expect(once.code, once.stderr).toBe(1);
    expect(once.stderr).toMatch(/kill-primary-fast: starting \(due; seed 5\/\S+Z\)/);
    expect(once.stderr).toMatch(/paused: kill-primary-fast missed writes recovers within 1ms/);
    const stateFile = path.join(state, 'schedules', 'every-minute.json');
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).paused).toMatchObject({ experiment: 'kill-primary-fast' });

    const history = await runCli(['history', '--out', out]);
    expect(history.stdout).toMatch(/kill-primary-fast\s+completed, missed\s+\S+\s+0\/1 met \(missed: writes recovers within 1ms\)/);

    // Whatever is due next, a paused schedule starts nothing.
    await new Promise((r) => setTimeout(r, 100));
    const paused = await runCli(['schedule', 'run', file, '--once', '--state-dir', state, '--out', out, '--max-lateness', '2m']);
    expect(paused.code).toBe(0);
    expect(paused.stderr).toMatch(/skipped: paused since|nothing due/);

    const resume = await runCli(['schedule', 'resume', file, '--state-dir', state]);
    expect(resume.stdout).toMatch(/schedule every-minute resumed \(it was paused since \S+: kill-primary-fast missed: writes recovers within 1ms, run \S+\)/);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).paused).toBeUndefined();
    expect((await runCli(['schedule', 'resume', file, '--state-dir', state])).stdout).toMatch(/is not paused/);
  });

  it('a daemon stops on SIGTERM, but stays (idle) when the SIGTERM comes with the halt lock set', async () => {
    const dir = workspace({
      'experiments/kill.yaml': killAnyNode('kill', 27544),
      'schedule.yaml': 'apiVersion: faultline/v1\nkind: Schedule\nmetadata: { name: yearly }\nspec:\n  experiments: experiments\n  cadence: { cron: "0 0 1 1 *" }\n',
    });
    const state = path.join(dir, 'state');
    const daemon = startCli(['schedule', 'run', path.join(dir, 'schedule.yaml'), '--state-dir', state, '--metrics-port', '0']);
    await waitForOutput(daemon.output, /schedule: next: \d{4}-01-01T00:00Z kill/);
    const port = Number(/metrics: http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(daemon.output())![1]);
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(/faultline_schedule_next_run_timestamp_seconds\{schedule="yearly"\} \d+/);

    // The lock as `faultline halt` writes it (halt itself also sweeps orphans machine-wide, which a test must not do).
    setHaltLock(state, { at: new Date().toISOString(), reason: 'test' });
    daemon.child.kill('SIGTERM');
    await waitForOutput(daemon.output, /SIGTERM with the halt lock set: interrupting running experiments; the daemon stays/);
    expect(daemon.child.exitCode).toBeNull();
    expect((await runCli(['halt', '--release', '--state-dir', state])).stdout).toMatch(/halt lock released/);
    daemon.child.kill('SIGTERM');
    const result = await daemon.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/schedule: SIGTERM: stopping/);
    expect(existsSync(path.join(state, 'halt.lock'))).toBe(false);
  });
});
