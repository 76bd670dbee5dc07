// Redis workloads through ioredis: SET key value, GET key. Commands are never queued while
// disconnected nor resent after a reconnect: a command that cannot be sent fails, and one whose
// connection drops before the reply is "unknown", as it is for any other store.
import { Redis } from 'ioredis';
import type { WriteClientParams } from '../../domain/workload.js';
import { OperationError, type ClientDeps, type OperationClient } from './client.js';

export function redisClient(p: WriteClientParams<'redis'>, deps: ClientDeps, role: 'write' | 'read'): OperationClient {
  const url = new URL(p.url);
  const address = `${url.hostname}:${url.port || 6379}`;
  const redis = new Redis(p.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: deps.timeout,
    // Keep reconnecting while the store is down (the final read waits for it to come back).
    retryStrategy: (attempt) => Math.min(50 * attempt, 500),
  });
  // Connection errors surface on each command; without a listener ioredis would print them.
  redis.on('error', () => {});

  return {
    address,
    async prepare() {
      if (redis.status === 'wait') await redis.connect();
      await redis.ping();
    },
    async run(vars) {
      if (redis.status !== 'ready') throw new OperationError('fail', `not connected to ${address} (${redis.status})`);
      if (role === 'read') return (await redis.get(vars.key)) || null;
      await redis.set(vars.key, vars.value);
      return null;
    },
    async close() {
      redis.disconnect();
    },
  };
}
