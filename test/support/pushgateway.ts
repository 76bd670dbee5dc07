// A real Prometheus Pushgateway (Debian's prometheus-pushgateway) on a free loopback port, without
// persistence, stopped by `stop`.
import { spawn } from 'node:child_process';
import { freePort } from './free-port.js';

export interface PushgatewayServer {
  url: string;
  /** Its /metrics exposition, as Prometheus would scrape it. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPushgateway(): Promise<PushgatewayServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = performance.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || performance.now() > deadline) {
      await stop();
      throw new Error(`prometheus-pushgateway on port ${port} did not become ready:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    stop,
  };
}
