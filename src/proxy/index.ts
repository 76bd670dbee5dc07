// The in-process TCP fault proxy used by the process driver for its links (and by the docker driver
// for latency without netem). Decisions worth knowing before using it:
// - Impairments act on open connections too; stalls (partition, timeout) hold data and FINs, never drop them.
// - loss and timeout decide once per new connection; a black-holed connection stays one after removal,
//   while connections held by a partition are connected when it heals.
// - With nothing active, forwarding is a direct write with backpressure: no timers, no queue.
export { FaultProxy } from './fault-proxy.js';
export type { FaultProxyOptions } from './fault-proxy.js';
export type { ActiveImpairment, Direction, Endpoint, LinkImpairment, LinkStats, ProxyClock } from './types.js';
