// The run's trace built from the journal's events, exported by the official OTLP/HTTP exporter to
// a receiver on loopback: span tree, names, times and attribute names as docs/observability.md
// publishes them. The real-process run through the CLI is in otel-run.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Journal } from '../../src/domain/model.js';
import { startOtlpTracing } from '../../src/telemetry/otlp-tracing.js';
import { RunTrace } from '../../src/telemetry/otel-run-trace.js';
import { T0, journalFixture } from '../fixtures/journal.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await receiver?.close();
  receiver = undefined;
});

async function exportTrace(j: Journal, env: Record<string, string>, redact = (s: string) => s): Promise<string[]> {
  const tracing = startOtlpTracing(env, '9.9.9');
  const trace = new RunTrace(tracing.tracer, { runId: j.runId, experiment: j.experiment.name, driver: j.driver }, redact);
  for (const e of j.events) trace.listener(e);
  trace.finish(j);
  return tracing.shutdown();
}

function byName(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

describe('a run as an OpenTelemetry trace', () => {
  it('has a run span, a child per phase, a span per fault and target under its phase, and verdict events', async () => {
    receiver = await startOtlpReceiver();
    const j = journalFixture();
    // The SDK's resource detector reads the process environment.
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'deployment.environment.name=ci');
    expect(await exportTrace(j, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).toEqual([]);
    const spans = receiver.spans;
    expect(receiver.problems).toEqual([]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);

    const run = byName(spans, 'faultline run');
    expect(run.parentSpanId).toBeUndefined();
    expect(run.start).toBe(T0);
    expect(run.end).toBe(T0 + 42_500);
    expect(run.resource).toMatchObject({ 'service.name': 'faultline', 'service.version': '9.9.9', 'deployment.environment.name': 'ci' });
    expect(run.attributes).toMatchObject({
      'faultline.run.id': 'r-20231114-abc123',
      'faultline.experiment': 'checkout-failover',
      'faultline.driver': 'process',
      'faultline.seed': 'seed-42',
      'faultline.run.status': 'completed',
      'faultline.run.outcome': 'failed',
      'faultline.run.deviated': true,
      'faultline.run.unclean': false,
    });
    expect(run.status).toMatchObject({ code: 2, message: '1 of 3 objectives missed' });

    const phases = spans.filter((s) => s.name.startsWith('phase '));
    expect(phases.map((s) => s.name).sort()).toEqual(['phase done', 'phase inject', 'phase recover', 'phase setup', 'phase steady-state'].sort());
    for (const p of phases) expect(p.parentSpanId, p.name).toBe(run.spanId);
    const inject = byName(spans, 'phase inject');
    expect([inject.start, inject.end]).toEqual([T0 + 10_000, T0 + 25_000]);
    expect(inject.attributes).toMatchObject({ 'faultline.phase': 'inject', 'faultline.run.id': 'r-20231114-abc123' });

    const kill = byName(spans, 'fault kill');
    expect(kill.parentSpanId).toBe(inject.spanId);
    expect(kill.attributes).toMatchObject({ 'faultline.fault.name': 'kill-primary', 'faultline.fault.kind': 'kill', 'faultline.target': 'primary', 'faultline.experiment': 'checkout-failover' });
    // An instant fault is a moment.
    expect([kill.start, kill.end]).toEqual([T0 + 10_000, T0 + 10_000]);
    const latency = byName(spans, 'fault latency');
    expect(latency.parentSpanId).toBe(inject.spanId);
    expect([latency.start, latency.end]).toEqual([T0 + 15_000, T0 + 25_000]);
    expect(latency.attributes).toMatchObject({ 'faultline.target': 'replica' });

    const verdicts = run.events.filter((e) => e.name === 'faultline.verdict');
    expect(verdicts.map((e) => e.attributes)).toEqual(
      j.verdicts.map((v) => expect.objectContaining({
        'faultline.objective': v.objective,
        'faultline.objective.kind': v.kind,
        'faultline.verdict.status': v.status,
        'faultline.verdict.measured': v.measured,
        'faultline.verdict.bound': v.bound,
        'faultline.verdict.unit': v.unit,
      })),
    );
  });

  it('marks a fault never reverted as an error ending with the run, and a failed injection as an error', async () => {
    receiver = await startOtlpReceiver();
    const base = journalFixture();
    const j: Journal = {
      ...base,
      unclean: true,
      events: [
        ...base.events.filter((e) => e.type !== 'revert' && e.type !== 'inject'),
        { t: T0 + 15_000, type: 'inject', fault: 'slow-replica', kind: 'latency', target: 'replica', ok: true },
        { t: T0 + 16_000, type: 'inject', fault: 'slow-replica', kind: 'latency', target: 'secret-host', ok: false, error: 'tc failed on secret-host' },
      ],
    };
    expect(await exportTrace(j, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces` }, (s) => s.replaceAll('secret-host', '***'))).toEqual([]);
    const latency = receiver.spans.filter((s) => s.name === 'fault latency');
    expect(latency.map((s) => [s.attributes['faultline.target'], s.status, s.end])).toEqual([
      ['***', { code: 2, message: 'tc failed on ***' }, T0 + 16_000],
      ['replica', { code: 2, message: 'not reverted' }, T0 + 42_500],
    ]);
  });

  it('comes back with a warning, within the bound, when the collector is down or does not answer', async () => {
    receiver = await startOtlpReceiver();
    const url = receiver.url;
    await receiver.close();
    const down = await exportTrace(journalFixture(), { OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_TIMEOUT: '1000' });
    expect(down.length).toBeGreaterThan(0);
    expect(down[0]).toContain(`${url}/v1/traces`);

    receiver = await startOtlpReceiver({ hang: true });
    const started = performance.now();
    const stuck = await exportTrace(journalFixture(), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TIMEOUT: '500' });
    expect(performance.now() - started).toBeLessThan(1500 + 2000);
    expect(stuck.length).toBeGreaterThan(0);
    expect(stuck[0]).toContain(`${receiver.url}/v1/traces`);
  });
});
