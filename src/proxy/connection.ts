// One accepted client connection and, once it goes upstream, its upstream socket and two pipes.
// Half-close is passed through (both sockets allow half-open); an error or an abrupt close on either
// side tears down both. A connection is finished when every socket it owns has closed.
// Both sockets read into pooled buffers (`onread`), so there are no 'data' events: every read of the
// client comes to `onClientRead`, whatever the connection's state.
import net from 'node:net';
import type { Socket } from 'node:net';
import { adoptSocket } from './adopt-socket.js';
import { Pipe } from './pipe.js';
import type { ByteCounter, PipeDeps } from './pipe.js';
import type { Shaping } from './shaping.js';
import type { Endpoint } from './types.js';

/** Reads from a held client are buffered up to this size, then the client is paused. */
const HOLD_LIMIT = 1024 * 1024;

export interface ConnectionEnv extends PipeDeps {
  upstream: Endpoint;
  up: ByteCounter;
  down: ByteCounter;
  shaping(side: 'up' | 'down'): Shaping;
  finished(conn: Connection): void;
}

type State = 'new' | 'held' | 'blackhole' | 'forwarding' | 'closed';

export class Connection {
  private state: State = 'new';
  private readonly client: Socket;
  /** What the client reads into until the up pipe takes it over. */
  private clientBuf: Buffer;
  /** What the upstream reads into until the down pipe takes it over. */
  private upstreamBuf: Buffer | undefined;
  private upstream: Socket | undefined;
  private up: Pipe | undefined;
  private down: Pipe | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private clientClosed = false;
  private upstreamClosed = false;
  private upstreamConnected = false;

  /** `accepted` comes from a listener with `pauseOnConnect`: it has not read anything yet. */
  constructor(
    accepted: Socket,
    private readonly env: ConnectionEnv,
  ) {
    this.clientBuf = env.pool.take();
    const client = adoptSocket(accepted, { buffer: this.nextClientBuffer, callback: this.onClientRead });
    this.client = client;
    client.setNoDelay(true);
    client.on('error', this.onClientError);
    client.on('close', this.onClientClose);
    // Flowing, so that 'end' is emitted: with `onread` no data ever goes through the stream itself.
    client.resume();
  }

  get isHeld(): boolean {
    return this.state === 'held';
  }

  /**
   * Accept and never answer. The client's bytes are read and discarded, so that a client giving up
   * (its FIN) is noticed and the socket freed; a retrying client would otherwise pile up descriptors.
   * The price: a black-holed client's writes never block.
   */
  blackhole(): void {
    this.state = 'blackhole';
    this.client.on('end', this.giveUp);
  }

  /** Refuse with a TCP RST. */
  reset(): void {
    this.state = 'closed';
    this.client.resetAndDestroy();
  }

  /** Accepted, but not connected upstream until `connect()`; the client's bytes wait in order. */
  hold(): void {
    this.state = 'held';
    // Over real TCP a client cannot half-close before its handshake completes: a FIN here means it gave up.
    this.client.on('end', this.giveUp);
  }

  connect(): void {
    if (this.state !== 'new' && this.state !== 'held') return;
    this.client.off('end', this.giveUp);
    this.state = 'forwarding';
    const { host, port } = this.env.upstream;
    const upstreamBuf = this.env.pool.take();
    this.upstreamBuf = upstreamBuf;
    const upstream = net.connect({ host, port, allowHalfOpen: true, onread: { buffer: this.nextUpstreamBuffer, callback: this.onUpstreamRead } });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('connect', this.onUpstreamConnect);
    upstream.on('error', this.onUpstreamError);
    upstream.on('close', this.onUpstreamClose);
    this.up = new Pipe(this.client, upstream, this.env.up, this.env, this.env.shaping('up'), this.clientBuf);
    this.down = new Pipe(upstream, this.client, this.env.down, this.env, this.env.shaping('down'), upstreamBuf);
    upstream.resume();
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    // Resume before feeding: a held client may be paused at HOLD_LIMIT, and the feed may pause it
    // again for backpressure, which must win.
    this.client.resume();
    this.up.feed(held);
  }

  setShaping(up: Shaping, down: Shaping): void {
    this.up?.setShaping(up);
    this.down?.setShaping(down);
  }

  destroy(): void {
    this.client.destroy();
    this.upstream?.destroy();
  }

  private readonly onClientRead = (n: number, buf: Uint8Array): boolean => {
    if (this.state === 'forwarding') this.up!.onRead(n, buf as Buffer);
    else if (this.state === 'held') {
      // Copied: the read buffer is read into again.
      this.held.push(Buffer.from(buf.subarray(0, n)));
      this.heldBytes += n;
      if (this.heldBytes >= HOLD_LIMIT) this.client.pause();
    }
    // A black hole (or a closed connection) discards what it reads.
    return true;
  };

  // Also called once as the socket is built.
  private readonly nextClientBuffer = (): Buffer => (this.up ? this.up.nextBuffer() : this.clientBuf);

  private readonly onUpstreamRead = (n: number, buf: Uint8Array): boolean => {
    this.down!.onRead(n, buf as Buffer);
    return true;
  };

  // Also called once as the socket is set up, before the down pipe exists.
  private readonly nextUpstreamBuffer = (): Buffer => (this.down ? this.down.nextBuffer() : this.upstreamBuf!);

  private readonly giveUp = (): void => {
    this.client.destroy();
  };

  private readonly onUpstreamConnect = (): void => {
    this.upstreamConnected = true;
  };

  private readonly onClientError = (err: NodeJS.ErrnoException): void => {
    this.teardown(this.upstream, err.code === 'ECONNRESET');
  };

  private readonly onUpstreamError = (err: NodeJS.ErrnoException): void => {
    // A refused or failed upstream connect looks like a refused connect to the client too.
    this.teardown(this.client, !this.upstreamConnected || err.code === 'ECONNRESET');
  };

  private readonly onClientClose = (): void => {
    this.clientClosed = true;
    if (this.state === 'forwarding' && !this.closedCleanly(this.up, this.down)) this.upstream?.destroy();
    this.settle();
  };

  private readonly onUpstreamClose = (): void => {
    this.upstreamClosed = true;
    if (!this.closedCleanly(this.down, this.up)) this.client.destroy();
    this.settle();
  };

  /** A socket closed cleanly if its FIN was read and ours was delivered; otherwise its peer cannot be served either. */
  private closedCleanly(from: Pipe | undefined, into: Pipe | undefined): boolean {
    return from !== undefined && into !== undefined && from.sourceEnded && into.endSent;
  }

  private teardown(peer: Socket | undefined, reset: boolean): void {
    this.up?.dispose();
    this.down?.dispose();
    if (peer && !peer.destroyed) {
      if (reset) peer.resetAndDestroy();
      else peer.destroy();
    }
    this.client.destroy();
    this.upstream?.destroy();
  }

  private settle(): void {
    if (!this.clientClosed || (this.upstream !== undefined && !this.upstreamClosed)) return;
    this.state = 'closed';
    this.up?.dispose();
    this.down?.dispose();
    // Both sockets closed: nothing reads into their buffers any more.
    if (this.up) {
      this.up.releaseBuffers();
      this.down!.releaseBuffers();
    } else this.env.pool.give(this.clientBuf);
    this.env.finished(this);
  }
}
