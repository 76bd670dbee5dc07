// Two faults on one service at the same time, for real: a pair that would change the same thing is
// refused before anything is touched, even when two target names select the same service (only
// the selected victims show it); a pair that changes different things composes, and the service
// is in the state the journal says at each step.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { experimentYaml, kvPorts, kvServices } from '../support/kv.js';
import { runYaml, servicePids } from '../support/run.js';
import { alive } from '../support/kv.js';

const p = kvPorts(27560);

describe('faults overlapping on one service (real processes)', () => {
  it('refuses two pauses of one service through two target names, before injecting anything', async () => {
    const yaml = experimentYaml(
      'pause-twice',
      `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
    same-primary: { selector: { names: [primary] } }
  probes:
    direct: { http: { url: "http://127.0.0.1:${p.primary}/put?k=a&v=1" }, every: 50ms, timeout: 200ms }
  steadyState: [direct]
  faults:
    - pause: { target: primary }
      for: 2s
    - pause: { target: same-primary }
      at: 200ms
      for: 300ms
  observe: { steadyState: 200ms }`,
    );
    const events: string[] = [];
    const run = runYaml(yaml, { listen: (e) => void events.push(e.type) });
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow('faults "pause-1" (0s–2s) and "pause-2" (200ms–500ms) would both change the process group of primary at the same time');
    expect(events).not.toContain('inject');
    expect(await addressInUse(`127.0.0.1:${p.primary}`)).toBe(false);
    expect(await addressInUse(`127.0.0.1:${p.clientLink}`)).toBe(false);
  });

  it('composes a pause inside a latency: after the pause is reverted the latency is still there, then gone', async () => {
    const j = await runYaml(
      experimentYaml(
        'pause-inside-latency',
        `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    direct: { http: { url: "http://127.0.0.1:${p.primary}/put?k=a&v=1" }, every: 50ms, timeout: 200ms }
    through-link: { http: { url: "http://127.0.0.1:${p.clientLink}/put?k=a&v=1" }, every: 50ms, timeout: 2s }
  steadyState: [direct, through-link]
  faults:
    - latency: { target: primary, delay: 300ms }
      name: slow
      for: 2500ms
    - pause: { target: primary }
      name: frozen
      at: 500ms
      for: 600ms
  observe: { steadyState: 300ms, recoveryWindow: 2s }`,
      ),
    );
    expect(j.status, j.reason ?? '').toBe('completed');
    const [slow, frozen] = j.faults;
    for (const f of [slow!, frozen!]) {
      expect(f.injectedAt).not.toBeNull();
      expect(f.revertedAt).not.toBeNull();
    }
    const reverts = j.events.filter((e) => e.type === 'revert');
    expect(reverts.map((e) => [e.fault, e.ok])).toEqual([['frozen', true], ['slow', true]]);

    const samples = (probe: string, from: number, to: number) => j.samples.filter((s) => s.probe === probe && s.t >= from && s.t + s.ms <= to);
    // While frozen: the service does not answer directly.
    const whilePaused = samples('direct', frozen!.injectedAt! + 100, frozen!.revertedAt! - 50);
    expect(whilePaused.length).toBeGreaterThan(0);
    expect(whilePaused.every((s) => !s.ok)).toBe(true);
    // After the pause's revert, the latency's own hold goes on: answers again, still 300ms late.
    const slowAfterPause = samples('through-link', frozen!.revertedAt! + 50, slow!.revertedAt! - 50);
    expect(slowAfterPause.length).toBeGreaterThan(0);
    expect(slowAfterPause.every((s) => s.ok && s.ms >= 280)).toBe(true);
    // After the latency's revert, the link is fast again.
    const after = samples('through-link', slow!.revertedAt! + 50, Infinity);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.ok && s.ms < 250)).toBe(true);

    for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
  });
});
