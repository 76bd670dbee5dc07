// HTTP workloads over keep-alive connections (undici), so thousands of operations per second cost
// no handshake each. Acknowledged: the expected status (default any 2xx); a 5xx is "unknown", any
// other reply "fail". Read: a 404 or an empty value is "absent".
import { Agent } from 'undici';
import type { ReadValueSpec, WriteClientParams } from '../../domain/workload.js';
import { compileTemplate } from '../../domain/workload.js';
import { OperationError, type ClientDeps, type OperationClient } from './client.js';
import { valueReader } from './read-value.js';
import { tcpReachable } from './tcp-reachable.js';

const ERROR_BODY = 160;
/** Beyond this, operations wait for a connection inside the client (still in flight, latency still counted from their schedule): thousands of sockets to one server cost more than they measure. */
const MAX_CONNECTIONS = 64;

export function httpClient(p: WriteClientParams<'http'>, deps: ClientDeps, value?: ReadValueSpec): OperationClient {
  const url = compileTemplate(p.url);
  const body = p.body === undefined ? undefined : compileTemplate(p.body);
  const headers = Object.entries(p.headers ?? {}).map(([name, v]) => [name, compileTemplate(v)] as const);
  const accepted = p.expect.status === undefined ? undefined : new Set([p.expect.status].flat());
  const read = value ? valueReader(value) : undefined;
  const example = new URL(p.url.replace(/\{\{[^{}]*\}\}/g, 'x'));
  const address = `${example.hostname}:${example.port || (example.protocol === 'https:' ? 443 : 80)}`;
  const agent = new Agent({ connections: Math.min(deps.maxInFlight, MAX_CONNECTIONS), keepAliveTimeout: 30_000, connectTimeout: deps.timeout });

  return {
    address,
    prepare: (signal) => tcpReachable(example.hostname.replace(/^\[|\]$/g, ''), Number(address.slice(address.lastIndexOf(':') + 1)), deps.timeout, signal),
    async run(vars, signal) {
      const full = url(vars);
      const cut = full.indexOf('/', full.indexOf('//') + 2);
      const reply = await agent.request({
        origin: cut < 0 ? full : full.slice(0, cut),
        path: cut < 0 ? '/' : full.slice(cut),
        method: p.method,
        headers: Object.fromEntries(headers.map(([name, v]) => [name, v(vars)])),
        ...(body ? { body: body(vars) } : {}),
        signal,
      });
      const status = reply.statusCode;
      if (read && status === 404) {
        await reply.body.dump();
        return null;
      }
      const ok = accepted === undefined ? status >= 200 && status < 300 : accepted.has(status);
      if (!ok) {
        const why = (await reply.body.text()).replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY);
        // A server error may come after the write was applied (stored locally, replication not
        // acknowledged): only a refusal (4xx, or a success code not expected) says it was not.
        throw new OperationError(status >= 500 ? 'unknown' : 'fail', `HTTP ${status}${why ? `: ${why}` : ''}`);
      }
      if (!read) {
        await reply.body.dump();
        return null;
      }
      return read(await reply.body.text());
    },
    close: () => agent.close(),
  };
}
