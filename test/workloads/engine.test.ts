// Workloads through the real engine and the process driver: the example key-value service (which
// keeps its data in memory) is killed and restarted, so the writes it acknowledged before the kill
// are lost, and the final read-back must find them absent.
// Run under the shared lock: flock /work/test.lock npx vitest run test/workloads/engine.test.ts
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/domain/errors.js';
import type { FinalRead, Operation } from '../../src/domain/history.js';
import type { JournalEvent } from '../../src/domain/model.js';
import { KV_SERVER, experimentYaml } from '../support/kv.js';
import { freePort } from '../support/free-port.js';
import { runYaml } from '../support/run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'faultline-engine-workloads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lines<T>(file: string): T[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

function experiment(port: number, extra = ''): string {
  return experimentYaml(
    'workload-kill',
    `  services:
    primary:
      command: [node, ${KV_SERVER}, --role=primary, --port=${port}]
      restart: always
      ready: { tcp: 127.0.0.1:${port} }
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    health: { http: { url: "http://127.0.0.1:${port}/health" }, every: 50ms, timeout: 400ms }
  steadyState: [health]
  workloads:
    orders:
      rate: 50/s
      write:
        http: { method: GET, url: "http://127.0.0.1:${port}/put?k={{key}}&v={{value}}" }
        timeout: 500ms
      read:
        http: { url: "http://127.0.0.1:${port}/get?k={{key}}" }
        value: { json: "$.v" }
      finalRead: { within: 10s }
  faults:
    - kill: { target: primary }
      at: 300ms
  objectives:
    - recovery: { probe: health, within: 5s }
  observe: { steadyState: 500ms, recoveryWindow: 1s, stopWhenRecovered: false }${extra}`,
  );
}

describe('workloads in a run', () => {
  it('run from steady state through the recovery window, then read back: the kill lost every write acknowledged before it', async () => {
    const port = await freePort();
    const runDir = mkdtempSync(path.join(dir, 'run-'));
    const j = await runYaml(experiment(port), { historyDir: runDir });
    expect(j.status).toBe('completed');
    const w = j.workloadRun!;
    expect(w.history).toBe(path.join(runDir, 'history.jsonl'));
    expect(w.finalReads).toBe(path.join(runDir, 'final-reads.jsonl'));

    const kill = j.faults[0]!;
    const phases = w.phases!;
    expect(phases.faultStart).toBe(kill.injectedAt);
    expect(phases.faultEnd).toBe(kill.injectedAt);
    expect(phases.baselineStart).toBeLessThan(phases.faultStart!);
    expect(phases.end).toBeGreaterThan(phases.faultEnd! + 900);
    // The final read happened after the revert and the recovery window, before the service stopped.
    const readBack = j.events.find((e) => e.type === 'log' && e.message.startsWith('final read-back'))!;
    const stopped = j.events.find((e): e is Extract<JournalEvent, { type: 'service' }> => e.type === 'service' && e.event === 'stopped')!;
    expect(readBack.t).toBeGreaterThanOrEqual(phases.end);
    expect(readBack.t).toBeLessThan(stopped.t);

    const ops = lines<Operation>(w.history);
    const summary = w.counts[0]!;
    expect(summary).toMatchObject({ workload: 'orders', rate: 50, operations: ops.length });
    expect(summary.ok).toBe(ops.filter((o) => o.outcome === 'ok').length);
    expect(ops.filter((o) => o.scheduledAt < phases.faultStart!).length).toBeGreaterThan(10);
    // Every operation's schedule is inside the observed run.
    for (const o of ops) {
      expect(o.scheduledAt).toBeGreaterThanOrEqual(phases.baselineStart);
      expect(o.scheduledAt).toBeLessThanOrEqual(phases.end);
    }

    const reads = lines<FinalRead>(w.finalReads!);
    const found = new Map(reads.map((r) => [r.key, r.found]));
    const ackedBefore = ops.filter((o) => o.outcome === 'ok' && o.completedAt! < kill.injectedAt!);
    const ackedAfterRestart = ops.filter((o) => o.outcome === 'ok' && o.startedAt! > kill.injectedAt! + 50 && found.get(o.key) !== undefined);
    expect(ackedBefore.length).toBeGreaterThan(10);
    for (const o of ackedBefore) expect(found.get(o.key)).toBe('absent');
    expect(ackedAfterRestart.length).toBeGreaterThan(10);
    expect(ackedAfterRestart.filter((o) => found.get(o.key) === 'present').length).toBeGreaterThan(10);
    expect(summary.finalRead).toMatchObject({ keys: reads.length, error: 0 });
    expect(summary.finalRead!.absent).toBeGreaterThanOrEqual(ackedBefore.length);
  });

  it('fails with an environment error (exit 3) before any fault when a workload store cannot be reached, naming it', async () => {
    const port = await freePort();
    const nobody = await freePort();
    const events: string[] = [];
    const yaml = experiment(port).replace(`url: "http://127.0.0.1:${port}/put`, `url: "http://127.0.0.1:${nobody}/put`);
    const run = runYaml(yaml, { historyDir: mkdtempSync(path.join(dir, 'run-')), listen: (e) => events.push(e.type) });
    await expect(run).rejects.toSatisfy((e: unknown) => e instanceof EnvironmentError && e.exitCode === 3 && e.message.includes(`workload "orders" cannot reach its store at 127.0.0.1:${nobody}`));
    expect(events).not.toContain('inject');
  });

  it('stops the workloads on interrupt, and reads nothing back', async () => {
    const port = await freePort();
    const runDir = mkdtempSync(path.join(dir, 'run-'));
    const interrupt = new AbortController();
    const j = await runYaml(experiment(port), { historyDir: runDir, interrupt: interrupt.signal, listen: (e) => e.type === 'inject' && interrupt.abort('SIGINT') });
    expect(j.status).toBe('interrupted');
    const w = j.workloadRun!;
    expect(w.finalReads).toBeNull();
    expect(w.counts[0]!.finalRead).toBeNull();
    expect(existsSync(path.join(runDir, 'final-reads.jsonl'))).toBe(false);
    const ops = lines<Operation>(w.history);
    expect(ops.length).toBe(w.counts[0]!.operations);
    // Nothing was scheduled after the workloads were stopped.
    expect(Math.max(...ops.map((o) => o.scheduledAt))).toBeLessThanOrEqual(w.phases!.end);
  });
});
