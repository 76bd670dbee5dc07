// Whether tracing is configured, read from the standard OpenTelemetry variables. Apart from the
// SDK (otlp-tracing.ts) so that the CLI can check its options without loading the SDK's ~280
// modules, which every command, `validate` included, paid for before.

export type Env = Readonly<Record<string, string | undefined>>;

/** Where traces go, or undefined when tracing is not configured (or OTEL_SDK_DISABLED is true). */
export function otlpTracesEndpoint(env: Env): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}
