// The OpenTelemetry SDK set up from the standard environment variables (OTEL_EXPORTER_OTLP_ENDPOINT
// or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, _HEADERS, _TIMEOUT, OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, OTEL_SDK_DISABLED), exporting over OTLP/HTTP with the official
// exporter. A provider of its own, never the global one: faultline as a library must not take over
// its host's tracing. The endpoint and timeout are read from `env`; the exporter itself reads the
// other variables (headers, certificates, compression) from the process environment. Shutting down is bounded: a collector that is down or does not answer delays
// the CLI by the export timeout at most, and comes back as a warning.
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { otlpTracesEndpoint, type Env } from './otlp-endpoint.js';

/** The export timeout when OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT does not set one (the SDK's is 10 s). */
export const OTLP_DEFAULT_TIMEOUT_MS = 5000;

export interface OtlpTracing {
  tracer: Tracer;
  /** Exports what is left and stops; resolves with one warning per failure, within the bound. */
  shutdown(): Promise<string[]>;
}

export function startOtlpTracing(env: Env, version: string): OtlpTracing {
  const endpoint = otlpTracesEndpoint(env);
  if (!endpoint) throw new Error('startOtlpTracing: no OTLP endpoint in the environment');
  const timeoutMs = envTimeout(env) ?? OTLP_DEFAULT_TIMEOUT_MS;
  const failures: string[] = [];
  const exporter = recordingFailures(new OTLPTraceExporter({ url: endpoint, timeoutMillis: timeoutMs }), (why) => failures.push(`could not export the run's trace to ${endpoint}: ${why}`));
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'faultline', [ATTR_SERVICE_VERSION]: version }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter, { exportTimeoutMillis: timeoutMs })] });
  return {
    tracer: provider.getTracer('faultline', version),
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs + 1000)));
      try {
        const ended = await Promise.race([provider.shutdown().then(() => 'done' as const, (e: unknown) => e), bound]);
        if (ended === 'late') failures.push(`the run's trace was not exported to ${endpoint} within ${timeoutMs + 1000} ms`);
        else if (ended !== 'done') failures.push(`could not export the run's trace to ${endpoint}: ${ended instanceof Error ? ended.message : String(ended)}`);
      } finally {
        clearTimeout(timer);
      }
      return [...new Set(failures)];
    },
  };
}

/** The exporter, telling what it could not send (the SDK only logs it to its diagnostics). */
function recordingFailures(inner: SpanExporter, failed: (why: string) => void): SpanExporter {
  return {
    export(spans, done) {
      inner.export(spans, (result) => {
        // ExportResultCode.SUCCESS is 0 (@opentelemetry/core, which the exporter brings).
        if (result.code !== 0) failed(result.error?.message ?? 'the collector refused it');
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

function envTimeout(env: Env): number | undefined {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const n = Number(env[name]);
    if (env[name] && Number.isFinite(n) && n > 0) return n;
  }
  return undefined;
}
