export { FaultProxy } from './fault-proxy.js';
export type { FaultProxyOptions } from './fault-proxy.js';
export type { ActiveImpairment, Direction, Endpoint, LinkImpairment, LinkStats, ProxyClock } from './types.js';
