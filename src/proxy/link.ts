// One named link: a listener, the connections it accepted, and the impairments applied to it.
// Every change of impairments is pushed to the open connections at once.
import net from 'node:net';
import type { Server, Socket } from 'node:net';
import { EnvironmentError } from '../domain/errors.js';
import { Connection } from './connection.js';
import type { ConnectionEnv } from './connection.js';
import type { ByteCounter, PipeDeps } from './pipe.js';
import { admit, mayConnect, shapingFor, UNSHAPED } from './shaping.js';
import type { Shaping } from './shaping.js';
import type { Endpoint, LinkImpairment, LinkStats } from './types.js';

export class Link {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private readonly impairments = new Map<string, LinkImpairment>();
  private readonly up: ByteCounter = { bytes: 0 };
  private readonly down: ByteCounter = { bytes: 0 };
  private accepted = 0;
  private upShaping: Shaping = UNSHAPED;
  private downShaping: Shaping = UNSHAPED;
  private readonly env: ConnectionEnv;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(
    readonly name: string,
    private readonly listenOn: Endpoint,
    upstream: Endpoint,
    deps: PipeDeps,
  ) {
    // Paused: each accepted socket is re-wrapped to read into pooled buffers before it reads (Connection).
    this.server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, this.onConnection);
    this.env = {
      ...deps,
      upstream: { ...upstream },
      up: this.up,
      down: this.down,
      shaping: (side) => (side === 'up' ? this.upShaping : this.downShaping),
      finished: (conn) => {
        this.connections.delete(conn);
        if (this.connections.size === 0) this.drained?.();
      },
    };
  }

  listen(): Promise<void> {
    const { host, port } = this.listenOn;
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const why = err.code === 'EADDRINUSE' ? 'the address is already in use' : err.message;
        // The errno code is kept so callers can branch on it as on a raw socket error.
        reject(Object.assign(new EnvironmentError(`link "${this.name}": cannot listen on ${host}:${port}: ${why}`, { cause: err }), { code: err.code }));
      };
      this.server.once('error', onError);
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError);
        // Once listening, an error is a failed accept (EMFILE...): it costs that one connection and the
        // listener carries on, so it must not become an uncaught exception.
        this.server.on('error', () => {});
        resolve();
      });
    });
  }

  /** The bound address: with port 0 in `listen`, this is where the OS put it. */
  address(): Endpoint {
    const a = this.server.address();
    if (a === null || typeof a === 'string') return { ...this.listenOn };
    return { host: a.address, port: a.port };
  }

  impair(id: string, impairment: LinkImpairment): void {
    this.impairments.set(id, impairment);
    this.refresh();
  }

  remove(id: string): boolean {
    if (!this.impairments.delete(id)) return false;
    this.refresh();
    return true;
  }

  stats(): LinkStats {
    return { connections: this.accepted, open: this.connections.size, bytesUp: this.up.bytes, bytesDown: this.down.bytes };
  }

  /** Stops listening, destroys every connection, and resolves once all their sockets have closed. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const listenerClosed = new Promise<void>((r) => {
        if (!this.server.listening) r();
        else this.server.close(() => r());
      });
      const connectionsClosed = new Promise<void>((r) => {
        this.drained = r;
        if (this.connections.size === 0) r();
      });
      for (const c of this.connections) c.destroy();
      void Promise.all([listenerClosed, connectionsClosed]).then(() => resolve());
    });
    return this.closing;
  }

  private refresh(): void {
    const all = [...this.impairments.values()];
    this.upShaping = shapingFor(all, 'up');
    this.downShaping = shapingFor(all, 'down');
    const release = mayConnect(all);
    for (const c of this.connections) {
      if (c.isHeld) {
        if (release) c.connect();
      } else {
        c.setShaping(this.upShaping, this.downShaping);
      }
    }
  }

  private readonly onConnection = (socket: Socket): void => {
    this.accepted++;
    const conn = new Connection(socket, this.env);
    if (this.closing) {
      this.connections.add(conn);
      conn.destroy();
      return;
    }
    this.connections.add(conn);
    switch (admit(this.impairments.values(), this.env.rng)) {
      case 'connect':
        conn.connect();
        break;
      case 'hold':
        conn.hold();
        break;
      case 'blackhole':
        conn.blackhole();
        break;
      case 'reset':
        conn.reset();
        break;
    }
  };
}
