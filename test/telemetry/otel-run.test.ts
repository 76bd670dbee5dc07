// `faultline run` with OTEL_EXPORTER_OTLP_ENDPOINT set, on a real process-driver run (the built
// CLI, real processes): the trace arrives with the run's own ids and times, and a collector that
// is down changes neither the reverts nor the exit code.
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { journalIn, runCli } from '../support/cli.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { pausedServiceExperiment } from '../support/telemetry-run.js';

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('faultline run with OTEL_EXPORTER_OTLP_ENDPOINT (real processes)', () => {
  it('exports the run as one trace: run, phases, the fault on its target, the verdict', async () => {
    receiver = await startOtlpReceiver();
    const { file, out } = await pausedServiceExperiment();
    const r = await runCli(['run', file, '--out', out, '--quiet'], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'chaos-ci' } });
    expect(r.code, r.stderr).toBe(0);
    const j = journalIn(out);
    const spans = receiver.spans;
    expect(receiver.problems).toEqual([]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);

    const [run, ...more] = spans.filter((s) => s.name === 'faultline run');
    expect(more).toEqual([]);
    expect(run!.parentSpanId).toBeUndefined();
    expect(run!.resource['service.name']).toBe('chaos-ci');
    expect(run!.attributes).toMatchObject({ 'faultline.run.id': j.runId, 'faultline.experiment': 'pause-primary', 'faultline.driver': 'process', 'faultline.run.outcome': 'passed', 'faultline.targets': ['primary/primary'] });

    const phases = spans.filter((s) => s.name.startsWith('phase '));
    const recorded = j.events.flatMap((e) => (e.type === 'phase' ? [`phase ${e.phase}`] : []));
    expect(phases.map((s) => s.name).sort()).toEqual([...recorded].sort());
    for (const p of phases) expect(p.parentSpanId).toBe(run!.spanId);

    const [pause, ...others] = spans.filter((s) => s.name.startsWith('fault '));
    expect(others).toEqual([]);
    expect(pause!.name).toBe('fault pause');
    expect(pause!.parentSpanId).toBe(spans.find((s) => s.name === 'phase inject')!.spanId);
    expect(pause!.attributes).toMatchObject({ 'faultline.fault.name': 'pause-1', 'faultline.fault.kind': 'pause', 'faultline.target': 'primary', 'faultline.run.id': j.runId });
    const inject = j.events.find((e) => e.type === 'inject')!;
    const revert = j.events.find((e) => e.type === 'revert')!;
    expect(pause!.start).toBeCloseTo(inject.t, 0);
    expect(pause!.end).toBeCloseTo(revert.t, 0);

    const [verdict] = run!.events.filter((e) => e.name === 'faultline.verdict');
    expect(verdict!.attributes).toMatchObject({ 'faultline.objective.kind': 'recovery', 'faultline.verdict.status': 'met', 'faultline.verdict.measured': j.verdicts[0]!.measured, 'faultline.verdict.unit': 'ms' });
  });

  it('warns in the journal, reverts and keeps the exit code when the collector is down', async () => {
    receiver = await startOtlpReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const { file, out } = await pausedServiceExperiment();
    const r = await runCli(['run', file, '--out', out, '--quiet'], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_TIMEOUT: '1000' } });
    expect(r.code, r.stderr).toBe(0);
    const j = journalIn(out);
    expect(j.events.filter((e) => e.type === 'revert').map((e) => e.type === 'revert' && e.ok)).toEqual([true]);
    const warnings = j.events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^could not export the run's trace to ${url}/v1/traces: .*ECONNREFUSED`))]);
  });

  it('ends, with a warning and the same exit code, when the collector accepts and never answers', async () => {
    receiver = await startOtlpReceiver({ hang: true });
    const { file, out } = await pausedServiceExperiment();
    // The CLI must not be held by the open connection past the export timeout (the test's own
    // timeout is the deadline).
    const r = await runCli(['run', file, '--out', out, '--quiet'], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TIMEOUT: '1000' } });
    expect(r.code, r.stderr).toBe(0);
    const warnings = journalIn(out).events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
    expect(warnings).toEqual([expect.stringContaining(`the run's trace to ${receiver.url}/v1/traces`)]);
  });

  it('refuses an OTLP endpoint that is not an http(s) URL before touching anything (exit 2)', async () => {
    const { file, out } = await pausedServiceExperiment();
    const r = await runCli(['run', file, '--out', out, '--quiet'], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: the OTLP traces endpoint must be http:// or https://, not collector:');
    expect(readdirSync(out)).toEqual([]);
  });
});
