// An OTLP/HTTP trace receiver (what a collector listens on at :4318/v1/traces), reduced to what the
// tests read: it accepts the exporter's JSON encoding and flattens every span with its resource.
// `hang` makes it accept connections and never answer, like a collector that is stuck.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** Epoch milliseconds (from the nanoseconds on the wire). */
  start: number;
  end: number;
  attributes: Record<string, unknown>;
  events: { name: string; time: number; attributes: Record<string, unknown> }[];
  status: { code?: number; message?: string };
  resource: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  url: string;
  spans: ReceivedSpan[];
  /** Requests it could not read, with why. */
  problems: string[];
  close(): Promise<void>;
}

interface Wire {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: OtlpValue }[] };
    scopeSpans?: { spans?: {
      traceId: string; spanId: string; parentSpanId?: string; name: string; startTimeUnixNano: string; endTimeUnixNano: string;
      attributes?: { key: string; value: OtlpValue }[]; events?: { name: string; timeUnixNano: string; attributes?: { key: string; value: OtlpValue }[] }[];
      status?: { code?: number; message?: string };
    }[] }[];
  }[];
}

export async function startOtlpReceiver(opts: { hang?: boolean } = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const problems: string[] = [];
  const server = http.createServer((req, res) => {
    if (opts.hang) return;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        problems.push(`${req.method} ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        problems.push(`content-type ${req.headers['content-type']}`);
        res.writeHead(415).end();
        return;
      }
      try {
        spans.push(...flatten(JSON.parse(body) as Wire));
      } catch (e) {
        problems.push(`unreadable body: ${(e as Error).message}`);
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    problems,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function flatten(w: Wire): ReceivedSpan[] {
  return (w.resourceSpans ?? []).flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
        name: s.name,
        start: nanosToMs(s.startTimeUnixNano),
        end: nanosToMs(s.endTimeUnixNano),
        attributes: attrs(s.attributes),
        events: (s.events ?? []).map((e) => ({ name: e.name, time: nanosToMs(e.timeUnixNano), attributes: attrs(e.attributes) })),
        status: s.status ?? {},
        resource: attrs(rs.resource?.attributes),
      })),
    ),
  );
}

function attrs(list: { key: string; value: OtlpValue }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, value(a.value)]));
}

function value(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  return undefined;
}

function nanosToMs(nanos: string | number): number {
  return Number(BigInt(nanos) / 1000n) / 1000;
}
