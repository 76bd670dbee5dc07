// The scheduler's decisions with virtual time and a fake runner: order, concurrency, pause and
// resume, the halt lock, a lost engine, --once, leadership and lateness.
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/domain/context.js';
import { EnvironmentError } from '../../src/domain/errors.js';
import type { Journal } from '../../src/domain/model.js';
import { Calendar } from '../../src/schedule/calendar.js';
import { MemoryScheduleState } from '../../src/schedule/schedule-state.js';
import { Scheduler, type ExperimentRunner, type SchedulerOptions } from '../../src/schedule/scheduler.js';
import { Timeline, type Slot } from '../../src/schedule/timeline.js';
import { at, schedule } from './helpers.js';
import { VirtualClock } from './virtual-clock.js';

const MIN = 60_000;

function journal(slot: Slot, over: Partial<Journal> = {}): Journal {
  return {
    schemaVersion: 1, runId: `run-${slot.at}`, faultlineVersion: 'test', experiment: { name: 'x', spec: null }, seed: slot.seed, driver: 'process',
    startedAt: slot.at, endedAt: slot.at, status: 'completed', deviated: false, unclean: false, targets: [], faults: [], events: [], samples: [],
    verdicts: [{ objective: 'writes recovers within 5s', kind: 'recovery', probe: 'writes', status: over.deviated ? 'missed' : 'met', met: !over.deviated, measured: 100, bound: 5000, unit: 'ms', detail: '', figures: {} }],
    leftovers: [], ...over,
  };
}

interface Harness {
  clock: VirtualClock;
  lines: string[];
  runs: { slot: Slot; interrupted?: string }[];
  state: MemoryScheduleState;
  scheduler: Scheduler;
  stop: AbortController;
  daemon?: Promise<void>;
  halted: { value: boolean };
}

/** Every 10 minutes, from a Monday 10:00 UTC; each fake run lasts `runMs`. */
function harness(opts: { runMs?: number; outcomes?: ((slot: Slot) => Partial<Journal> | Error)[]; cron?: string; extra?: Partial<SchedulerOptions>; start?: number } = {}): Harness {
  const s = schedule({ cadence: { cron: opts.cron ?? '*/10 * * * *' } });
  const timeline = new Timeline({ calendar: new Calendar(s.spec.calendar), cadence: s.spec.cadence, seed: '1', experiments: 2 });
  const clock = new VirtualClock(opts.start ?? at('2026-06-15 10:00') - 30_000);
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
  const runs: Harness['runs'] = [];
  const outcomes = [...(opts.outcomes ?? [])];
  const runner: ExperimentRunner = {
    async run(slot, interrupt) {
      const entry: Harness['runs'][number] = { slot };
      runs.push(entry);
      const outcome = outcomes.shift()?.(slot);
      if (outcome instanceof Error) throw outcome;
      try {
        await clock.sleep(opts.runMs ?? MIN, interrupt);
      } catch {
        entry.interrupted = String(interrupt.reason);
        return journal(slot, { status: 'interrupted' });
      }
      return journal(slot, outcome);
    },
  };
  const state = new MemoryScheduleState();
  const halted = { value: false };
  const scheduler = new Scheduler({
    timeline, experiments: ['kill-a', 'kill-b'], concurrency: 1, onObjectiveMissed: 'pause', clock, log, runner, state,
    halt: { isHalted: async () => halted.value }, pollMs: 1000, backoffMs: 5 * MIN, ...opts.extra,
  });
  return { clock, lines, runs, state, scheduler, stop: new AbortController(), halted };
}

async function daemonFor(h: Harness, ms: number): Promise<void> {
  h.daemon ??= h.scheduler.runDaemon(h.stop.signal);
  await h.clock.advance(ms);
}

const startedAt = (h: Harness) => h.runs.map((r) => new Date(r.slot.at).toISOString().slice(11, 16));

describe('the scheduler', () => {
  it('starts each due instant in order and logs every decision', async () => {
    const h = harness();
    await daemonFor(h, 31 * MIN);
    expect(startedAt(h)).toEqual(['10:00', '10:10', '10:20', '10:30']);
    expect(h.lines.some((l) => /next: 2026-06-15T10:00Z kill-[ab]/.test(l))).toBe(true);
    expect(h.lines.filter((l) => /starting \(due; seed 1\/2026-06-15T10:\d0Z\)/.test(l))).toHaveLength(4);
    expect(h.lines.filter((l) => /: completed, 1\/1 objectives met \(run run-\d+\)/.test(l))).toHaveLength(3);
    expect((await h.state.read()).lastInstant).toBe(at('2026-06-15 10:30'));
    h.stop.abort('test');
    await h.daemon;
    expect(h.runs.at(-1)!.interrupted).toBe('test');
  });

  it('never starts a second experiment while one runs (concurrency 1)', async () => {
    const h = harness({ runMs: 15 * MIN });
    await daemonFor(h, 41 * MIN);
    expect(startedAt(h)).toEqual(['10:00', '10:20', '10:40']);
    expect(h.lines.filter((l) => /10:(10|30)Z kill-[ab]: skipped: kill-[ab] still running \(concurrency 1\)/.test(l))).toHaveLength(2);
    h.stop.abort('test');
    await h.daemon;
  });

  it('pauses after a missed objective until resumed', async () => {
    const h = harness({ outcomes: [(slot) => ({ deviated: true, runId: `missed-${slot.at}` })] });
    await daemonFor(h, 25 * MIN);
    expect(startedAt(h)).toEqual(['10:00']);
    const { paused } = await h.state.read();
    expect(paused).toMatchObject({ reason: 'missed: writes recovers within 5s', runId: `missed-${at('2026-06-15 10:00')}` });
    expect(h.lines.filter((l) => /skipped: paused since .* missed an objective .*faultline schedule resume clears it/.test(l))).toHaveLength(2);
    await h.state.update(({ paused: _, ...rest }) => rest);
    await h.clock.advance(10 * MIN);
    expect(startedAt(h)).toEqual(['10:00', '10:30']);
    h.stop.abort('test');
    await h.daemon;
  });

  it('continues after a missed objective when told to', async () => {
    const h = harness({ outcomes: [() => ({ deviated: true })], extra: { onObjectiveMissed: 'continue' } });
    await daemonFor(h, 25 * MIN);
    expect(startedAt(h)).toEqual(['10:00', '10:10', '10:20']);
    expect((await h.state.read()).paused).toBeUndefined();
    h.stop.abort('test');
    await h.daemon;
  });

  it('interrupts running experiments when the halt lock appears, and starts none while it is set', async () => {
    const h = harness({ runMs: 8 * MIN });
    await daemonFor(h, 2 * MIN);
    expect(startedAt(h)).toEqual(['10:00']);
    h.halted.value = true;
    await h.clock.advance(2 * MIN);
    expect(h.runs[0]!.interrupted).toBe('halt');
    expect(h.lines).toContainEqual(expect.stringMatching(/halt lock set: interrupting kill-[ab]; no experiment starts until it is released/));
    await h.clock.advance(20 * MIN);
    expect(startedAt(h)).toEqual(['10:00']);
    expect(h.lines.filter((l) => /skipped: the halt lock is set/.test(l))).toHaveLength(2);
    h.halted.value = false;
    await h.clock.advance(10 * MIN);
    expect(startedAt(h)).toEqual(['10:00', '10:30']);
    expect(h.lines).toContainEqual('schedule: halt lock released');
    h.stop.abort('test');
    await h.daemon;
  });

  it('backs off when the engine is lost, retries, and keeps its schedule', async () => {
    const lost = () => new EnvironmentError('cannot reach the Docker engine at /var/run/docker.sock');
    const h = harness({ outcomes: [lost, lost], extra: { maxLateness: 30 * MIN } });
    await daemonFor(h, 36 * MIN);
    // 10:00 fails, retried at 10:05 (back-off 5m) fails, back-off 10m until 10:15; 10:10 is skipped meanwhile;
    // the retry at 10:15 succeeds; 10:20 and 10:30 run as scheduled.
    expect(startedAt(h)).toEqual(['10:00', '10:00', '10:00', '10:20', '10:30']);
    expect(h.lines).toContainEqual(expect.stringMatching(/error schedule: 2026-06-15T10:00Z kill-[ab]: the environment cannot be used: cannot reach the Docker engine.*; backing off 300s, then retrying; the schedule is kept/));
    expect(h.lines).toContainEqual(expect.stringMatching(/backing off 600s/));
    expect(h.lines).toContainEqual(expect.stringMatching(/10:10Z kill-[ab]: skipped: backing off after the engine was lost, until 2026-06-15T10:15Z/));
    expect(h.lines.filter((l) => /starting \(retry/.test(l))).toHaveLength(2);
    h.stop.abort('test');
    await h.daemon;
  });

  it('--once runs the latest due instant, skips older ones, and never runs one twice', async () => {
    const h = harness({ start: at('2026-06-15 10:25') });
    const run = h.scheduler.runOnce(h.stop.signal);
    await h.clock.advance(2 * MIN);
    const j = await run;
    expect(j?.startedAt).toBe(at('2026-06-15 10:20'));
    expect(h.lines).toContainEqual(expect.stringMatching(/10:10Z kill-[ab]: skipped: a later instant is also due/));
    expect(h.lines.some((l) => /10:00Z/.test(l))).toBe(false); // older than maxLateness (15m)
    const again = await h.scheduler.runOnce(h.stop.signal);
    expect(again).toBeUndefined();
    expect(h.lines.at(-1)).toMatch(/nothing due; next: 2026-06-15T10:30Z kill-[ab]/);
  });

  it('acts only while it leads', async () => {
    let leading = false;
    const h = harness({ extra: { leader: { isLeader: () => leading } } });
    await daemonFor(h, 15 * MIN);
    expect(h.runs).toHaveLength(0);
    expect(h.lines.filter((l) => /skipped: another replica holds the lease/.test(l))).toHaveLength(2);
    leading = true;
    await h.clock.advance(10 * MIN);
    expect(startedAt(h)).toEqual(['10:20']);
    h.stop.abort('test');
    await h.daemon;
  });

  it('catches up after a restart, but not on instants more than maxLateness old', async () => {
    const h = harness();
    await h.state.update(() => ({ lastInstant: at('2026-06-15 08:00') }));
    await daemonFor(h, 5 * MIN);
    expect(startedAt(h)).toEqual(['09:50']);
    expect(h.lines.some((l) => /T0[89]:[0-4]0Z/.test(l))).toBe(false);
    h.stop.abort('test');
    await h.daemon;
  });
});

describe('the scheduler with concurrency above 1', () => {
  it('runs experiments side by side, but never two on overlapping targets', async () => {
    const victims: Record<number, string[]> = { 0: ['process:primary'], 1: ['process:primary', 'process:replica'] };
    const s = schedule({ cadence: { cron: '*/10 * * * *' } });
    const timeline = new Timeline({ calendar: new Calendar(s.spec.calendar), cadence: s.spec.cadence, seed: '1', experiments: 3 });
    const clock = new VirtualClock(at('2026-06-15 10:00') - 30_000);
    const lines: string[] = [];
    const started: number[] = [];
    const scheduler = new Scheduler({
      timeline, experiments: ['a', 'b', 'c'], concurrency: 3, onObjectiveMissed: 'continue', clock,
      log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
      runner: {
        async run(slot, interrupt) {
          started.push(slot.experiment);
          await clock.sleep(25 * MIN, interrupt).catch(() => undefined);
          return journal(slot);
        },
        victims: async (slot) => victims[slot.experiment] ?? [`process:other-${slot.at}`],
      },
      state: new MemoryScheduleState(), halt: { isHalted: async () => false },
    });
    const stop = new AbortController();
    const daemon = scheduler.runDaemon(stop.signal);
    await clock.advance(45 * MIN);
    const slots = timeline.between(at('2026-06-15 10:00'), at('2026-06-15 10:41'));
    // Replay the rule: start unless the same experiment or a shared victim is running, or three are.
    const running: { exp: number; until: number }[] = [];
    const expected: number[] = [];
    for (const slot of slots) {
      for (let i = running.length - 1; i >= 0; i--) if (running[i]!.until <= slot.at) running.splice(i, 1);
      const mine = victims[slot.experiment] ?? [`process:other-${slot.at}`];
      const busy = new Set(running.flatMap((r) => victims[r.exp] ?? []));
      if (running.length >= 3 || running.some((r) => r.exp === slot.experiment) || (running.length > 0 && mine.some((v) => busy.has(v)))) continue;
      running.push({ exp: slot.experiment, until: slot.at + 25 * MIN });
      expected.push(slot.experiment);
    }
    expect(started, lines.join("\n")).toEqual(expected);
    expect(started.length).toBeGreaterThan(1);
    expect(lines.some((l) => /skipped: (targets process:primary are under another experiment|the same experiment is still running)/.test(l))).toBe(true);
    stop.abort('test');
    await daemon;
  });
});
