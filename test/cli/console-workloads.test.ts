// The console's workload curves from a real run: the engine, the process driver and the example
// key-value service, with a workload writing to it while the service is paused. The console state
// (what every viewer is sent) gets one interval per workload per second, contiguous, with the
// writes acknowledged before the pause and failed during it. Spawns a service on a port: run under
// the shared lock.
import { describe, expect, it } from 'vitest';
import { ConsoleState } from '../../src/cli/console-state.js';
import { KV_SERVER, experimentYaml } from '../support/kv.js';
import { freePort } from '../support/free-port.js';
import { runYaml } from '../support/run.js';

describe('console: workload curves during a run', () => {
  it('gets each second of a real workload, ok before the fault and failed during it', async () => {
    const port = await freePort();
    const yaml = experimentYaml(
      'console-workload',
      `  services:
    primary:
      command: [node, ${KV_SERVER}, --role=primary, --port=${port}]
      restart: always
      ready: { tcp: 127.0.0.1:${port} }
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    health: { http: { url: "http://127.0.0.1:${port}/health" }, every: 100ms, timeout: 300ms }
  steadyState: [health]
  workloads:
    orders:
      rate: 40/s
      write:
        http: { method: GET, url: "http://127.0.0.1:${port}/put?k={{key}}&v={{value}}" }
        timeout: 300ms
  faults:
    - pause: { target: primary }
      for: 3s
  objectives:
    - recovery: { probe: health, within: 5s }
  observe: { steadyState: 1500ms, recoveryWindow: 1s, stopWhenRecovered: false }`,
    );
    const state = new ConsoleState({ experiment: 'console-workload', runId: 'r', driver: 'process', startedAt: 0, faults: [], objectives: [] });
    const j = await runYaml(yaml, { listen: (e) => void state.observe(e) });
    expect(j.status).toBe('completed');

    const series = state.workloads.get('orders') ?? [];
    expect(series.length).toBeGreaterThanOrEqual(4);
    // One curve without gaps or overlaps: each interval starts where the one before ended.
    for (let i = 1; i < series.length; i++) expect(series[i]!.start).toBe(series[i - 1]!.end);
    const pause = j.faults[0]!;
    const before = series.filter((w) => w.end <= pause.injectedAt!);
    // From a moment after the injection: an answer already on its way when the service stopped still counts as ok.
    const during = series.filter((w) => w.start >= pause.injectedAt! + 100 && w.end <= pause.revertedAt!);
    expect(before.some((w) => w.ok > 0 && w.failed === 0 && w.p50 !== null)).toBe(true);
    expect(during.some((w) => w.failed > 0 && w.ok === 0)).toBe(true);
    // Every operation in history.jsonl is on the curves (nothing is counted twice or lost).
    const counted = series.reduce((n, w) => n + w.ok + w.failed, 0);
    expect(counted).toBe(j.workloadRun!.counts[0]!.operations);
    expect(state.messages.filter((m) => m.event === 'workload')).toHaveLength(series.length);
    // Live only: the journal keeps the history and its summaries, not these intervals.
    expect(j.events.some((e) => (e.type as string) === 'workload')).toBe(false);
  }, 60_000);
});
