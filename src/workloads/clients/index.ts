// The registry of workload clients: one entry per kind of `write`/`read`. Adding a client is a
// file beside this one and a line here; nothing else changes.
import type { ClientKind, WorkloadReadSpec, WorkloadWriteSpec } from '../../domain/workload.js';
import type { ClientDeps, OperationClient } from './client.js';
import { execClient } from './exec-client.js';
import { httpClient } from './http-client.js';
import { postgresClient } from './postgres-client.js';
import { redisClient } from './redis-client.js';

type Factory = (params: never, deps: ClientDeps, role: 'write' | 'read', read?: WorkloadReadSpec) => OperationClient;

const CLIENTS: Record<ClientKind, Factory> = {
  http: (p, deps, _role, read) => httpClient(p, deps, read?.value),
  redis: (p, deps, role) => redisClient(p, deps, role),
  postgres: (p, deps, role) => postgresClient(p, deps, role),
  exec: (p, deps, _role, read) => execClient(p, deps, read?.value),
};

export function clientKind(spec: WorkloadWriteSpec | WorkloadReadSpec): ClientKind {
  return (Object.keys(CLIENTS) as ClientKind[]).find((k) => k in spec)!;
}

export function createWriteClient(spec: WorkloadWriteSpec, deps: Omit<ClientDeps, 'timeout'>): OperationClient {
  const kind = clientKind(spec);
  return CLIENTS[kind]((spec as unknown as Record<ClientKind, never>)[kind], { ...deps, timeout: spec.timeout }, 'write');
}

export function createReadClient(spec: WorkloadReadSpec, deps: Omit<ClientDeps, 'timeout'>): OperationClient {
  const kind = clientKind(spec);
  return CLIENTS[kind]((spec as unknown as Record<ClientKind, never>)[kind], { ...deps, timeout: spec.timeout }, 'read', spec);
}
