// Serves the scheduler's metrics for Prometheus at /metrics. Loopback by default; in a pod, pass
// --metrics-host 0.0.0.0 so the cluster's Prometheus can scrape it.
import type { AddressInfo } from 'node:net';
import { EnvironmentError } from '../domain/errors.js';
import { nodeHttp } from '../runtime/late-builtins.js';
import type { ScheduleMetrics } from '../schedule/metrics.js';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(metrics: ScheduleMetrics, port: number, host = '127.0.0.1'): Promise<MetricsServer> {
  const server = nodeHttp().createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/metrics' && !req.url?.startsWith('/metrics?'))) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new EnvironmentError(`cannot serve metrics on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`)));
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
