import { describe, expect, it } from 'vitest';
import type { Journal, Sample } from '../../src/domain/model.js';
import { alive, experimentYaml, kvPorts, kvServices } from '../support/kv.js';
import { runYaml, servicePids } from '../support/run.js';

const p = kvPorts(27320);

function during(j: Journal, probe: string, fault = 0): { inside: Sample[]; outside: Sample[] } {
  const f = j.faults[fault]!;
  const inside = j.samples.filter((s) => s.probe === probe && s.t > f.injectedAt! + 20 && s.t + s.ms < f.revertedAt! - 20);
  const outside = j.samples.filter((s) => s.probe === probe && (s.t + s.ms < f.injectedAt! || s.t > f.revertedAt! + 20));
  return { inside, outside };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('network faults through the fault proxy (real sockets)', () => {
  it('latency on a target delays traffic on the links to it, and only while injected', async () => {
    const j = await runYaml(
      experimentYaml(
        'latency',
        `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    via-link: { http: { url: "http://127.0.0.1:${p.clientLink}/health" }, every: 50ms, timeout: 1s }
  steadyState: [via-link]
  faults:
    - latency: { target: primary, delay: 150ms, jitter: 10ms }
      at: 200ms
      for: 1500ms
  objectives:
    - latency: { probe: via-link, p50: 50ms }
  observe: { steadyState: 300ms, recoveryWindow: 500ms, stopWhenRecovered: false }`,
      ),
    );
    expect(j.status).toBe('completed');
    const { inside, outside } = during(j, 'via-link');
    expect(inside.length).toBeGreaterThan(5);
    // One HTTP exchange is at least one response chunk delayed by 150ms ± 10ms.
    expect(Math.min(...inside.map((s) => s.ms))).toBeGreaterThanOrEqual(139);
    expect(median(inside.map((s) => s.ms))).toBeLessThan(400);
    expect(median(outside.map((s) => s.ms))).toBeLessThan(50);
    expect(j.verdicts[0]!.met).toBe(false);
    expect(j.events.filter((e) => e.type === 'revert' && e.ok)).toHaveLength(1);
  });

  it('a partition stops synchronous writes and, once healed, replication resumes', async () => {
    const j = await runYaml(
      experimentYaml(
        'partition',
        `${kvServices(p, { sync: true })}
  targets:
    replica: { selector: { names: [replica] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${p.primary}/put?k=a&v=1" }, every: 50ms, timeout: 1s }
    replica-caught-up: { http: { url: "http://127.0.0.1:${p.replica}/get?k=a", expect: { body: '"v":"1"' } }, every: 50ms, timeout: 500ms }
  steadyState: [writes]
  faults:
    - partition: { from: replica, to: primary }
      at: 200ms
      for: 2s
  objectives:
    - availability: { probe: writes, atLeast: 99% }
    - recovery: { probe: writes, within: 3s }
  observe: { steadyState: 300ms }`,
      ),
    );
    expect(j.status).toBe('completed');
    const { inside } = during(j, 'writes');
    expect(inside.length).toBeGreaterThan(10);
    expect(inside.filter((s) => s.ok).length).toBe(0);
    expect(inside.map((s) => s.error).filter((e) => !/acknowledge|no replica/.test(e ?? ""))).toEqual([]);
    const [availability, recovery] = j.verdicts;
    expect(availability!.met).toBe(false);
    expect(recovery!.met).toBe(true);
    // The replica has the data again after the heal.
    const after = j.samples.filter((s) => s.probe === 'replica-caught-up' && s.t > j.faults[0]!.revertedAt!);
    expect(after.some((s) => s.ok)).toBe(true);
    for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
  });

  it('a pause freezes the process for its duration and always resumes it', async () => {
    const j = await runYaml(
      experimentYaml(
        'pause',
        `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    health: { http: { url: "http://127.0.0.1:${p.primary}/health" }, every: 50ms, timeout: 200ms }
  steadyState: [health]
  faults:
    - pause: { target: primary }
      at: 200ms
      for: 1s
  objectives:
    - recovery: { probe: health, within: 1s }
  observe: { steadyState: 300ms }`,
      ),
    );
    expect(j.status).toBe('completed');
    const { inside } = during(j, 'health');
    expect(inside.length).toBeGreaterThan(5);
    expect(inside.every((s) => !s.ok && /timed out/.test(s.error ?? ''))).toBe(true);
    expect(j.verdicts[0]!.met).toBe(true);
    // Requests queued during the pause are answered right after it: recovery is quick.
    expect(j.verdicts[0]!.measured!).toBeLessThan(500);
  });

  it('loss (reset) and timeout (black hole) on a link break new connections while injected', async () => {
    const j = await runYaml(
      experimentYaml(
        'loss-timeout',
        `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    via-link: { http: { url: "http://127.0.0.1:${p.clientLink}/health" }, every: 40ms, timeout: 300ms }
  faults:
    - loss: { target: primary, percent: 100%, mode: reset }
      at: 100ms
      for: 600ms
    - timeout: { target: primary }
      at: 1000ms
      for: 600ms
  observe: { steadyState: 200ms, recoveryWindow: 300ms }`,
      ),
    );
    expect(j.status).toBe('completed');
    const loss = during(j, 'via-link', 0).inside;
    const blackhole = during(j, 'via-link', 1).inside;
    expect(loss.length).toBeGreaterThan(3);
    expect(loss.every((s) => !s.ok && /ECONNRESET/.test(s.error ?? ''))).toBe(true);
    expect(blackhole.length).toBeGreaterThan(1);
    expect(blackhole.every((s) => !s.ok && /timed out/.test(s.error ?? ''))).toBe(true);
    expect(j.samples.filter((s) => s.t > j.faults[1]!.revertedAt! + 50).every((s) => s.ok)).toBe(true);
  });
});
