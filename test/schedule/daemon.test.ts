// A short real schedule: the daemon as `faultline schedule run` composes it, against the process
// driver and the example KV service, with hours compressed into seconds. It runs what the preview
// said, with the victims the preview said, writes journals that `history` lists, serves metrics,
// and stops every running experiment (which reverts) when the halt lock is set.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { historyCommand, type HistoryEntry } from '../../src/cli/history-command.js';
import type { MetricsServer } from '../../src/cli/schedule-metrics-server.js';
import { schedulePreviewCommand, type PreviewRun } from '../../src/cli/schedule-preview.js';
import { scheduleRunCommand } from '../../src/cli/schedule-run.js';
import type { Journal } from '../../src/domain/model.js';
import { setHaltLock } from '../../src/ledger/halt-lock.js';
import { alive } from '../support/kv.js';
import { at } from './helpers.js';
import { scaledClock } from './scaled-clock.js';
import { captureTerminal, killAnyNode, longPause, workspace } from './support.js';

const stops: AbortController[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s.abort('test over');
});

let shown: () => string = () => '';

async function until(cond: () => boolean, what: string, ms = 40_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the daemon said:\n${shown()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function journals(out: string): Journal[] {
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .map((d) => path.join(out, d, 'journal.json'))
    .filter(existsSync)
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as Journal)
    .sort((a, b) => a.startedAt - b.startedAt);
}

const schedule = (cron: string, onObjectiveMissed = 'pause') => `apiVersion: faultline/v1
kind: Schedule
metadata: { name: monkey }
spec:
  experiments: experiments
  calendar:
    timezone: Europe/Paris
    windows: [ { days: Mon-Fri, hours: "10:00-16:00" } ]
  cadence: { cron: "${cron}" }
  seed: 2026
  onObjectiveMissed: ${onObjectiveMissed}
`;

describe('schedule run against the process driver, hours compressed into seconds', () => {
  it('runs each instant like `faultline run`, with the victims the preview named; metrics and history follow', async () => {
    const dir = workspace({ 'experiments/kill-any-node.yaml': killAnyNode('kill-any-node', 27500), 'schedule.yaml': schedule('0 * * * 1-5') });
    const file = path.join(dir, 'schedule.yaml');
    const out = path.join(dir, 'runs');
    // A Monday, 09:55 in Paris (loading and checking the schedule takes a few virtual minutes); 1 hour passes in 9 real seconds.
    const clock = scaledClock(at('2026-06-15 09:55', 'Europe/Paris'), 400);
    const stop = new AbortController();
    stops.push(stop);
    const term = captureTerminal();
    shown = term.text;
    let metrics: MetricsServer | undefined;
    const daemon = scheduleRunCommand(file, { stateDir: path.join(dir, 'state'), out, metricsPort: 0 }, term, { clock, stop: stop.signal, pollMs: 30_000, onMetrics: (m) => (metrics = m) });

    const finished = () => term.lines.filter((l) => /info schedule: \S+ kill-any-node: (completed|failed|aborted|interrupted)/.test(l)).length;
    await until(() => finished() === 2, 'two scheduled runs');
    const scrape = await (await fetch(`http://127.0.0.1:${metrics!.port}/metrics`)).text();
    stop.abort('test');
    expect(await daemon).toBe(0);

    const text = term.text();
    expect(text).toMatch(/info schedule monkey: 1 experiment \(kill-any-node\), Europe\/Paris, seed 2026/);
    expect(text).toContain('schedule: stopped');

    // Which hours ran depends on how fast this machine is; that each ran when due, with its own seed, does not.
    const runs = journals(out);
    expect(runs).toHaveLength(2);
    for (const j of runs) {
      expect(j.seed).toMatch(/^2026\/2026-06-15T(0[89]|1[0-3]):00Z$/);
      const instant = j.seed.slice('2026/'.length);
      expect(text).toContain(`schedule: ${instant} kill-any-node: starting (due; seed ${j.seed})`);
      expect(j.status).toBe('completed');
      expect(j.deviated || j.unclean).toBe(false);
    }

    // The preview, computed independently, named the same instants and the same victims.
    const previewTerm = captureTerminal();
    expect(await schedulePreviewCommand(file, { from: '2026-06-15', days: 1, json: true }, previewTerm)).toBe(0);
    const preview = JSON.parse(previewTerm.lines[0]!) as { runs: PreviewRun[] };
    expect(preview.runs.map((r) => r.at)).toEqual(['08', '09', '10', '11', '12', '13'].map((h) => `2026-06-15T${h}:00:00.000Z`));
    for (const j of runs) {
      expect(j.targets.map((t) => t.name)).toEqual(preview.runs.find((r) => r.seed === j.seed)!.targets!['any-node']);
    }

    const sample = (name: string, labels: Record<string, string>) => {
      const line = scrape.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const exp = { experiment: 'kill-any-node', schedule: 'monkey' };
    expect(sample('faultline_schedule_runs_total', { ...exp, status: 'completed' })).toBe(2);
    expect(sample('faultline_schedule_objectives_total', { ...exp, kind: 'recovery', result: 'met' })).toBe(2);
    expect(sample('faultline_schedule_recovery_seconds_count', exp)).toBe(2);
    expect(sample('faultline_schedule_faults_active', exp)).toBe(0);
    const next = sample('faultline_schedule_next_run_timestamp_seconds', { schedule: 'monkey' })!;
    expect(preview.runs.map((r) => Date.parse(r.at) / 1000)).toContain(next);
    expect(next * 1000).toBeGreaterThan(Date.parse(runs[1]!.seed.slice('2026/'.length)));
    expect(sample('faultline_schedule_state', { state: 'halted' })).toBe(0);

    const historyTerm = captureTerminal();
    await historyCommand({ out, json: true }, historyTerm);
    const history = JSON.parse(historyTerm.lines[0]!) as HistoryEntry[];
    expect(history.map((h) => [h.experiment, h.status, h.verdicts.map((v) => v.met)])).toEqual([
      ['kill-any-node', 'completed', [true]],
      ['kill-any-node', 'completed', [true]],
    ]);
    expect(history.every((h) => h.recoveryMs !== null && h.recoveryMs < 5000)).toBe(true);
    const table = captureTerminal();
    await historyCommand({ out, limit: 1 }, table);
    expect(table.lines[0]).toMatch(/^time\s+experiment\s+status\s+recovery\s+verdicts\n2026-\S+ \S+Z\s+kill-any-node\s+completed\s+\S+\s+1\/1 met$/);
  });

  it('stops a running experiment when the halt lock is set, and starts none while it is', async () => {
    const dir = workspace({ 'experiments/long-pause.yaml': longPause('long-pause', 27510), 'schedule.yaml': schedule('*/20 * * * 1-5') });
    const file = path.join(dir, 'schedule.yaml');
    const stateDir = path.join(dir, 'state');
    const out = path.join(dir, 'runs');
    // 20 minutes pass in 4 real seconds.
    const clock = scaledClock(at('2026-06-15 09:55', 'Europe/Paris'), 300);
    const stop = new AbortController();
    stops.push(stop);
    const term = captureTerminal();
    shown = term.text;
    let metrics: MetricsServer | undefined;
    const daemon = scheduleRunCommand(file, { stateDir, out, metricsPort: 0 }, term, { clock, stop: stop.signal, pollMs: 30_000, onMetrics: (m) => (metrics = m) });
    const scrape = async (name: string) => {
      const text = await (await fetch(`http://127.0.0.1:${metrics!.port}/metrics`)).text();
      return text.split('\n').find((l) => l.startsWith(name));
    };

    await until(() => journals(out).length === 0 && term.lines.some((l) => /running long-pause/.test(l)), 'the run to be under way');
    // Steady state, then the pause is injected and held: the gauge shows it.
    const end = Date.now() + 30_000;
    let active: string | undefined;
    while (!/experiment="long-pause".* 1$/.test((active = await scrape('faultline_schedule_faults_active{')) ?? '') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(active, term.text()).toMatch(/experiment="long-pause".* 1$/);
    setHaltLock(stateDir, { at: new Date().toISOString(), reason: 'test' });
    await until(() => journals(out).length === 1, 'the halted run to end');
    const [halted] = journals(out);
    expect(halted!.status).toBe('interrupted');
    expect(halted!.reason).toMatch(/interrupted by halt; everything was reverted/);
    expect(halted!.events.some((e) => e.type === 'revert' && e.ok)).toBe(true);
    const pids = [...new Set(halted!.events.flatMap((e) => (e.type === 'service' && e.pid ? [e.pid] : [])))];
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.filter(alive)).toEqual([]);

    await until(() => term.lines.some((l) => /Z long-pause: skipped: the halt lock is set/.test(l)), 'the next instant to be skipped');
    expect(term.text()).toMatch(/halt lock set: interrupting long-pause; no experiment starts until it is released/);
    expect(await scrape('faultline_schedule_faults_active{')).toMatch(/ 0$/);
    expect(await scrape('faultline_schedule_state{state="halted"')).toMatch(/ 1$/);
    expect(await scrape('faultline_schedule_runs_total{')).toMatch(/experiment="long-pause".*status="interrupted".* 1$/);
    stop.abort('test');
    expect(await daemon).toBe(0);
    expect(journals(out)).toHaveLength(1);
  });
});
