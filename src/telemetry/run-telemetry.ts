// Where a run is published besides its own records, composed from the CLI's flags and the
// environment: Grafana annotations, an OpenTelemetry trace and a Pushgateway's metrics. The trace
// follows the journal as it is written; everything is sent once every fault is reverted and the
// verdicts are in, and what fails comes back as warnings for the journal, never as an error:
// publishing a run never changes its outcome or its exit code.
import type { Journal } from '../domain/model.js';
import type { JournalListener } from '../journal/recorder.js';
import { grafanaAnnotations } from '../report/grafana-annotations.js';
import { postGrafanaAnnotations, type GrafanaEndpoint } from './grafana-client.js';
import type { RunIdentity } from './otel-run-trace.js';

export interface TelemetrySettings {
  grafana?: GrafanaEndpoint;
  /** The environment to read OTEL_* from when tracing is configured there; absent: no trace. */
  otlp?: { env: Readonly<Record<string, string | undefined>> };
  /** A Pushgateway's URL. */
  pushgateway?: string;
}

export interface RunTelemetry {
  /** Sees the journal's events as they happen; absent when nothing needs them live. */
  listener?: JournalListener;
  /** Publishes the finished (redacted) journal; resolves with one warning per failure. */
  publish(journal: Journal): Promise<string[]>;
}

export async function createRunTelemetry(settings: TelemetrySettings, run: RunIdentity & { version: string }, redact: (text: string) => string): Promise<RunTelemetry> {
  // The OpenTelemetry SDK is some 280 modules: loaded only by a run that exports a trace.
  const tracing = settings.otlp ? (await import('./otlp-tracing.js')).startOtlpTracing(settings.otlp.env, run.version) : undefined;
  const trace = tracing ? new (await import('./otel-run-trace.js')).RunTrace(tracing.tracer, run, redact) : undefined;
  return {
    ...(trace ? { listener: trace.listener } : {}),
    async publish(journal) {
      trace?.finish(journal);
      const sent = await Promise.all([
        settings.grafana ? postGrafanaAnnotations(settings.grafana, grafanaAnnotations(journal)) : [],
        tracing ? tracing.shutdown() : [],
        // prom-client, like the tracing SDK, only for a run that uses it.
        settings.pushgateway ? import('./pushgateway.js').then((m) => m.pushRunMetrics(settings.pushgateway!, journal)) : [],
      ]);
      return sent.flat();
    },
  };
}
