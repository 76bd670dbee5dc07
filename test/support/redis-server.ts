// A real redis-server for workload tests: its own port and temporary directory, no persistence,
// stopped (and the directory removed) by `stop`. `restart` keeps the port, so clients reconnect.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

export interface RedisServer {
  port: number;
  url: string;
  /** A client for independent checks; closed by `stop`. */
  client: Redis;
  /** Kills the server (SIGKILL: every write not persisted is gone, and there is no persistence). */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => {});

  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const deadline = performance.now() + 10_000;
    for (;;) {
      try {
        if (client.status === 'wait') await client.connect();
        if ((await client.ping()) === 'PONG') return;
      } catch {
        if (performance.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client,
    kill,
    start,
    async stop() {
      client.disconnect();
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
