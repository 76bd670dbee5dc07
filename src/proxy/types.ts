// The vocabulary of the fault proxy. A link's directions are named from the client's point of view:
// "up" is client -> upstream, "down" is upstream -> client.

export type Direction = 'up' | 'down' | 'both';

export interface Endpoint {
  host: string;
  port: number;
}

export type LinkImpairment =
  /** Each chunk waits `delayMs ± jitterMs` (uniform, seeded); order within a connection is kept. */
  | { kind: 'latency'; delayMs: number; jitterMs: number; direction: Direction }
  /** Token bucket per connection and direction. */
  | { kind: 'bandwidth'; bytesPerSecond: number; direction: Direction }
  /** Decided once per new connection: drop = black hole (accepted, never forwarded, never closed); reset = RST. */
  | { kind: 'loss'; percent: number; mode: 'drop' | 'reset' }
  /** New connections become black holes; open connections stall both ways. */
  | { kind: 'timeout' }
  /** Open connections stall in `direction`; new connections are held, unconnected, until the partition heals. */
  | { kind: 'partition'; direction: Direction };

export interface ActiveImpairment {
  id: string;
  link: string;
  impairment: LinkImpairment;
}

export interface LinkStats {
  /** Connections accepted since the link was added. */
  connections: number;
  /** Client connections not yet closed (forwarding, held or black-holed). */
  open: number;
  /** Bytes delivered to the upstream. */
  bytesUp: number;
  /** Bytes delivered to the client. */
  bytesDown: number;
}

/** Only `now()` is read: timers still run on the real event loop, so a fake clock must tick in real time. */
export interface ProxyClock {
  now(): number;
}
