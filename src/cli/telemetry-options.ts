// The flags that publish a run elsewhere (`--annotate grafana=URL`, `--pushgateway URL`) and the
// OTEL_* environment, checked before anything runs, and the credentials they need, read from the
// environment (never from the command line, where any user of the host can read them).
import { InvalidArgumentError } from 'commander';
import { InvalidInputError } from '../domain/errors.js';
import { otlpTracesEndpoint } from '../telemetry/otlp-endpoint.js';
import type { TelemetrySettings } from '../telemetry/run-telemetry.js';

export const GRAFANA_TOKEN_VARIABLE = 'FAULTLINE_GRAFANA_TOKEN';

/** `--annotate grafana=URL`: where annotations go. */
export function parseAnnotate(value: string): { grafana: string } {
  const m = /^grafana=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected grafana=URL (e.g. grafana=http://127.0.0.1:3000)');
  return { grafana: httpUrl(m[1]!, 'the Grafana URL') };
}

/** `--pushgateway URL`. */
export function parsePushgateway(value: string): string {
  return httpUrl(value, 'the Pushgateway URL');
}

/** An http(s) URL without credentials in it. */
export function httpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`${what} "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`${what} must be http:// or https://, not ${url.protocol}`);
  if (url.username || url.password) throw new InvalidArgumentError(`${what} must not carry credentials (any user of this host can read a command line); see docs/observability.md`);
  return url.href;
}

/** What to publish to; an OTLP endpoint that is not an http(s) URL is bad input (exit 2). */
export function telemetrySettings(opts: { annotate?: { grafana: string }; pushgateway?: string }, env: NodeJS.ProcessEnv): TelemetrySettings {
  const token = env[GRAFANA_TOKEN_VARIABLE];
  const otlp = otlpTracesEndpoint(env);
  if (otlp !== undefined) {
    try {
      httpUrl(otlp, 'the OTLP traces endpoint');
    } catch (e) {
      const variable = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
      throw new InvalidInputError(`${variable}: ${(e as Error).message}`);
    }
  }
  return {
    ...(opts.annotate ? { grafana: { url: opts.annotate.grafana, ...(token ? { token } : {}) } } : {}),
    ...(otlp !== undefined ? { otlp: { env } } : {}),
    ...(opts.pushgateway ? { pushgateway: opts.pushgateway } : {}),
  };
}
