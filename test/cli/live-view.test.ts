import { describe, expect, it } from 'vitest';
import type { JournalListener } from '../../src/journal/recorder.js';
import { liveView } from '../../src/cli/live-view.js';
import { livePlan, type LivePlan } from '../../src/cli/live-status.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { Objective } from '../../src/domain/experiment.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';

const T0 = 1_700_000_000_000;

/** A terminal that keeps what it was told; `tty: false` so no timer runs: the test redraws. */
function fakeTerminal(): Terminal & { lines: string[]; statuses: string[] } {
  const lines: string[] = [];
  const statuses: string[] = [];
  return { tty: false, color: false, lines, statuses, out: (t) => lines.push(t), err: (t) => lines.push(t), status: (t) => statuses.push(t) };
}

const plan: LivePlan = {
  faults: [{ name: 'pause-primary', for: 4000 }, { name: 'kill-replica', for: null }],
  objectives: [{ availability: { probe: 'writes', atLeast: 95 } }, { recovery: { probe: 'writes', within: '10s' } }, { latency: { probe: 'writes', p99: '300ms' } }].map((o) => Objective.parse(o)),
};

type Ev = Parameters<JournalListener>[0];
const sample = (t: number, ok: boolean, ms = 5, error?: string): Ev => ({ t: T0 + t, type: 'sample', sample: { probe: 'writes', t: T0 + t, ok, ms, ...(error ? { error } : {}) } });

/** "+2.242s ..." -> 2242 */
const offsetOf = (line: string) => Math.round(Number(/^\+(\d+\.\d+)s/.exec(line)![1]) * 1000);

describe('live view', () => {
  it('prints a probe turning red at the time it was seen, so the log stays in time order', () => {
    const term = fakeTerminal();
    const view = liveView(term, T0, () => T0, plan);
    view.listener(sample(2000, true));
    view.listener({ t: T0 + 2240, type: 'log', level: 'warn', message: 'replica lagging' });
    // Started at +2.236s, in flight while the log line above was recorded, completed at +2.246s.
    view.listener(sample(2236, false, 10, 'HTTP 503'));
    const stamped = term.lines.filter((l) => /^\+\d/.test(l));
    expect(stamped).toEqual(['+2.240s warn replica lagging', '+2.246s probe writes failing: HTTP 503']);
    const offsets = stamped.map(offsetOf);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('shows no control characters from a probe error', () => {
    const term = fakeTerminal();
    const view = liveView(term, T0, () => T0, plan);
    view.listener(sample(100, true));
    view.listener(sample(200, false, 5, '\x1b[31mdown\x1b[0m\r\x07'));
    expect(term.lines.at(-1)).toBe('+0.205s probe writes failing: down\\u000d\\u0007');
  });

  it('names the faults in place with a countdown and each objective beside its target (fake clock)', () => {
    const term = fakeTerminal();
    let now = T0;
    const view = liveView(term, T0, () => now, plan);
    const status = () => {
      view.render();
      return term.statuses.at(-1)!;
    };
    view.listener({ t: T0 + 100, type: 'phase', phase: 'steady-state' });
    for (let t = 200; t < 1000; t += 100) view.listener(sample(t, true));
    now = T0 + 900;
    expect(status()).toBe('[steady-state] +0.9s  |  writes availability — (≥ 95%)  writes recovery —/10s  writes p99 — (≤ 300ms)  |  writes ✔ 5ms 100%');

    view.listener({ t: T0 + 1000, type: 'phase', phase: 'inject' });
    view.listener({ t: T0 + 1000, type: 'inject', fault: 'pause-primary', kind: 'pause', target: 'primary', ok: true });
    for (let t = 1000; t < 2000; t += 100) view.listener(sample(t, t < 1500, t < 1500 ? 20 : 1000, 'timeout'));
    now = T0 + 2000;
    expect(status()).toBe('[inject] +2.0s  |  in place: pause-primary on primary, reverts in 3.0s  |  writes availability 50% (≥ 95%)  writes recovery —/10s  writes p99 20ms (≤ 300ms)  |  writes ✘ 1000ms 72%');

    // The instant kill happens and is over; the pause is still held, so recovery is not measured yet.
    view.listener({ t: T0 + 3000, type: 'inject', fault: 'kill-replica', kind: 'kill', target: 'replica', ok: true });
    now = T0 + 4500;
    expect(status()).toContain('in place: pause-primary on primary, reverts in 0.5s  |');
    now = T0 + 5050;
    expect(status()).toContain('in place: pause-primary on primary, reverting  |');

    view.listener({ t: T0 + 5100, type: 'revert', fault: 'pause-primary', kind: 'pause', target: 'primary', ok: true });
    view.listener({ t: T0 + 5100, type: 'phase', phase: 'recover' });
    now = T0 + 5200;
    expect(status()).not.toContain('in place');
    expect(status()).toContain('writes recovery —/10s');
    for (let t = 5400; t < 5700; t += 100) view.listener(sample(t, true));
    now = T0 + 5800;
    expect(status()).toMatch(/^\[recover\] \+5\.8s {2}\| {2}writes availability \d+(\.\d+)?% \(≥ 95%\) {2}writes recovery 300ms\/10s {2}writes p99 20ms \(≤ 300ms\)/);
    view.stop();
  });

  it('takes each fault\'s hold and the objectives from the experiment', () => {
    const { experiment } = parseExperiment(
      `apiVersion: faultline/v1
kind: Experiment
metadata: { name: live }
spec:
  driver: process
  services:
    web: { command: [node, -e, "setInterval(() => {}, 1000)"] }
  targets:
    web: { selector: { names: [web] } }
  probes:
    up: { tcp: { address: "127.0.0.1:1" } }
  faults:
    - pause: { target: web }
      for: 4s
    - kill: { target: web }
      name: boom
      at: 5s
  objectives:
    - availability: { probe: up, atLeast: 90% }
`,
      '/tmp/live.yaml',
    );
    const p = livePlan(experiment);
    expect(p.faults).toEqual([{ name: 'pause-1', for: 4000 }, { name: 'boom', for: null }]);
    expect(p.objectives).toHaveLength(1);
  });
});
