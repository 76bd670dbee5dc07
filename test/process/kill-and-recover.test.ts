import { describe, expect, it } from 'vitest';
import { alive, experimentYaml, kvPorts, kvServices } from '../support/kv.js';
import { runYaml, servicePids } from '../support/run.js';
import { addressInUse } from '../../src/drivers/process/readiness.js';

const p = kvPorts(27300);

describe('killing a supervised service (real processes)', () => {
  it('measures the restart as recovery and leaves nothing running', async () => {
    const j = await runYaml(
      experimentYaml(
        'kill-primary',
        `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${p.primary}/put?k=a&v=1" }, every: 50ms, timeout: 400ms }
  steadyState: [writes]
  faults:
    - kill: { target: primary, signal: SIGKILL }
      at: 300ms
  objectives:
    - recovery: { probe: writes, within: 5s }
  observe: { steadyState: 300ms }`,
      ),
    );
    expect(j.status).toBe('completed');
    const kill = j.events.find((e) => e.type === 'inject');
    expect(kill).toMatchObject({ type: 'inject', kind: 'kill', target: 'primary', ok: true });
    // The supervisor saw the SIGKILL and started a new primary.
    const primaryStarts = j.events.filter((e) => e.type === 'service' && e.service === 'primary' && e.event === 'started');
    expect(primaryStarts.length).toBe(2);
    expect(j.events.some((e) => e.type === 'service' && e.service === 'primary' && e.event === 'exited' && e.signal === 'SIGKILL')).toBe(true);

    const [recovery] = j.verdicts;
    expect(recovery!.met).toBe(true);
    // Restart delay is 100ms, node needs some time to start: recovery is real, not zero, and not absurd.
    expect(recovery!.measured).toBeGreaterThan(50);
    expect(recovery!.measured).toBeLessThan(5000);
    expect(recovery!.figures.timeToImpactMs).not.toBeNull();
    // Recovery time ends at a sample that starts a run of three passes (the default), and every
    // sample between the kill and it that failed is before it.
    const injectedAt = j.faults[0]!.injectedAt!;
    const writes = j.samples.filter((s) => s.probe === 'writes');
    const at = writes.findIndex((s) => Math.abs(s.t - (injectedAt + recovery!.measured!)) < 0.001);
    expect(at).toBeGreaterThan(0);
    expect(writes.slice(at, at + 3).map((s) => s.ok)).toEqual([true, true, true]);
    expect(writes[at - 1]!.ok).toBe(false);
    expect(writes.some((s) => s.t > injectedAt && s.t < injectedAt + recovery!.measured! && !s.ok)).toBe(true);

    for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
    expect(await addressInUse(`127.0.0.1:${p.primary}`)).toBe(false);
    expect(await addressInUse(`127.0.0.1:${p.link}`)).toBe(false);
  });

  it('fails the recovery objective when the service is not restarted', async () => {
    const j = await runYaml(
      experimentYaml(
        'kill-for-good',
        `${kvServices(p, { restart: 'never' })}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${p.primary}/put?k=a&v=1" }, every: 50ms, timeout: 300ms }
  steadyState: [writes]
  faults:
    - kill: { target: primary }
      at: 200ms
  objectives:
    - recovery: { probe: writes, within: 1s }
    - availability: { probe: writes, atLeast: 90% }
  observe: { steadyState: 300ms, recoveryWindow: 1500ms }`,
      ),
    );
    expect(j.status).toBe('completed');
    expect(j.deviated).toBe(true);
    expect(j.verdicts.map((v) => v.met)).toEqual([false, false]);
    expect(j.verdicts[0]!.measured).toBeNull();
    expect(j.verdicts[1]!.measured!).toBeLessThan(20);
    for (const pid of servicePids(j)) expect(alive(pid)).toBe(false);
  });
});
