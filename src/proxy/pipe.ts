// One direction of one proxied connection. The source reads into a pooled buffer (its `onread`);
// unshaped and with nothing queued, each read goes straight into the destination's write(), pausing
// the source on backpressure: no timers, no allocation per read. Once shaped, chunks are copied out
// of the read buffer and wait in a FIFO with their release times; a single timer (or the shared
// spinner) per pipe wakes the queue.
import type { Socket } from 'node:net';
import type { BufferPool } from './buffer-pool.js';
import type { Shaping } from './shaping.js';
import { isShaped } from './shaping.js';
import type { Spinnable, Spinner } from './spinner.js';
import type { ProxyClock } from './types.js';

/**
 * Past this much held data the source is paused, so a stalled or slow link pushes back over TCP.
 * Latency alone needs room for delay x throughput; under a rate limit, a quarter second of traffic
 * beyond the delay is plenty, and keeps a slow link from swallowing megabytes the sender thinks are sent.
 */
const QUEUE_LIMIT = 8 * 1024 * 1024;
const MIN_QUEUE_LIMIT = 64 * 1024;
/** Releases closer than this are awaited on the spinner rather than a (coarse) timer. */
const SPIN_MS = 2;
/**
 * How early a timer is aimed before a release. Node timers already tend to fire about half a
 * millisecond early (the loop's cached time is truncated to whole milliseconds), so a small lead
 * hands over to the spinner with ~1 ms to go, rarely too late.
 */
const TIMER_LEAD_MS = 0.5;
/** Token bucket depth, in seconds of rate: small enough to be smooth, large enough to avoid tiny writes. */
const BURST_SECONDS = 0.02;
const MIN_BURST = 1460;
/**
 * Read buffers a pipe may have out in writes still in flight before it pauses its source. A write
 * that fills the destination's buffer already pauses it; this bounds a stream of small pending writes.
 */
const MAX_LENT = 4;

function queueLimitFor(s: Shaping): number {
  if (s.bytesPerSecond === 0) return QUEUE_LIMIT;
  const bytes = s.bytesPerSecond * ((s.delayMs + s.jitterMs) / 1000 + 0.25);
  return Math.min(QUEUE_LIMIT, Math.max(MIN_QUEUE_LIMIT, bytes));
}

export interface ByteCounter {
  bytes: number;
}

export interface PipeDeps {
  clock: ProxyClock;
  rng: () => number;
  spinner: Spinner;
  pool: BufferPool;
}

export class Pipe implements Spinnable {
  private shaping: Shaping;
  private shaped: boolean;
  // FIFO as parallel arrays with a moving head: shift() would be O(n) on long queues.
  private chunks: Buffer[] = [];
  private releases: number[] = [];
  private head = 0;
  private queuedBytes = 0;
  private lastRelease = Number.NEGATIVE_INFINITY;
  private tokens = 0;
  private refilledAt = 0;
  private burst = MIN_BURST;
  private queueLimit = QUEUE_LIMIT;
  private timer: NodeJS.Timeout | undefined;
  private spinning = false;
  private waitingDrain = false;
  private sourcePaused = false;
  /** The buffer the source reads into next. */
  private readBuf: Buffer;
  /** The read buffer of each write still in flight, in write order (Node completes writes in order). */
  private inFlight: Buffer[] = [];
  /** Buffers other than `readBuf` that writes still use. */
  private lent = 0;
  /** The source sent FIN; it is passed on once the queue is flushed. */
  sourceEnded = false;
  /** FIN passed on to the destination. */
  endSent = false;
  private disposed = false;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly counter: ByteCounter,
    private readonly deps: PipeDeps,
    shaping: Shaping,
    /** The buffer the source already reads into: the pipe takes it over. */
    readBuf: Buffer,
  ) {
    this.shaping = shaping;
    this.shaped = isShaped(shaping);
    this.resetBucket();
    this.queueLimit = queueLimitFor(shaping);
    this.readBuf = readBuf;
    src.on('end', this.onEnd);
  }

  setShaping(shaping: Shaping): void {
    if (this.disposed) return;
    const rateChanged = shaping.bytesPerSecond !== this.shaping.bytesPerSecond;
    this.shaping = shaping;
    this.shaped = isShaped(shaping);
    this.queueLimit = queueLimitFor(shaping);
    if (rateChanged) this.resetBucket();
    this.pump();
  }

  /** Data read before this pipe existed (a held connection, copies): it goes first, in order. */
  feed(chunks: readonly Buffer[]): void {
    for (const c of chunks) {
      if (!this.shaped && this.head === this.chunks.length) this.write(c);
      else this.enqueue(c);
    }
  }

  /** The source's `onread` callback: `n` bytes were read into `buf` (the pipe's `readBuf`). */
  onRead(n: number, buf: Buffer): void {
    if (this.disposed) return;
    if (!this.shaped && this.head === this.chunks.length) {
      this.inFlight.push(buf);
      this.write(buf.subarray(0, n), this.onWritten);
      return;
    }
    // Held for later: the read buffer is about to be read into again.
    this.enqueue(Buffer.from(buf.subarray(0, n)));
  }

  /**
   * The source's `onread` buffer supplier, called after each read: the same buffer again when
   * every write from it has reached the kernel, else one from the pool.
   */
  nextBuffer(): Buffer {
    const buf = this.readBuf;
    if (this.disposed || this.dst.writableLength === 0 || this.inFlight[this.inFlight.length - 1] !== buf) return buf;
    this.lent++;
    this.readBuf = this.deps.pool.take();
    this.syncSource();
    return this.readBuf;
  }

  /**
   * Once both sockets have closed nothing reads into the read buffer any more; back to the pool
   * unless a write was cut short with it.
   */
  releaseBuffers(): void {
    if (this.inFlight.length === 0) this.deps.pool.give(this.readBuf);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelWake();
    this.chunks = [];
    this.releases = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.src.off('end', this.onEnd);
    this.dst.off('drain', this.onDrain);
  }

  private readonly onWritten = (): void => {
    const buf = this.inFlight.shift();
    // A buffer's writes are contiguous in the queue: its last one done, nothing uses it any more.
    if (this.disposed || buf === undefined || buf === this.readBuf || this.inFlight[0] === buf) return;
    this.lent--;
    this.deps.pool.give(buf);
    this.syncSource();
  };

  private readonly onEnd = (): void => {
    this.sourceEnded = true;
    this.pump();
  };

  private readonly onDrain = (): void => {
    this.waitingDrain = false;
    this.pump();
  };

  tick(): void {
    this.spinning = false;
    this.pump();
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.pump();
  };

  private write(chunk: Buffer, done?: () => void): void {
    if (this.disposed) return;
    this.counter.bytes += chunk.length;
    if (!this.dst.write(chunk, done) && !this.waitingDrain) {
      this.waitingDrain = true;
      this.dst.once('drain', this.onDrain);
      if (!this.sourcePaused) {
        this.sourcePaused = true;
        this.src.pause();
      }
    }
  }

  private enqueue(chunk: Buffer): void {
    if (this.disposed) return;
    const now = this.deps.clock.now();
    const { delayMs, jitterMs } = this.shaping;
    let at = now;
    if (jitterMs > 0) at += Math.max(0, delayMs + jitterMs * (2 * this.deps.rng() - 1));
    else at += delayMs;
    if (at < this.lastRelease) at = this.lastRelease;
    this.lastRelease = at;
    this.chunks.push(chunk);
    this.releases.push(at);
    this.queuedBytes += chunk.length;
    // A pending wake already serves an earlier head, so only an idle queue needs pumping now.
    if (this.timer === undefined && !this.spinning) this.pump();
    else this.syncSource();
  }

  private pump(): void {
    if (this.disposed) return;
    this.cancelWake();
    this.flush();
    this.syncSource();
  }

  private flush(): void {
    const s = this.shaping;
    while (this.head < this.chunks.length) {
      if (s.stalled || this.waitingDrain || this.disposed) return;
      const now = this.deps.clock.now();
      const at = this.releases[this.head]!;
      if (at > now) {
        this.wake(at - now, true);
        return;
      }
      const chunk = this.chunks[this.head]!;
      if (s.bytesPerSecond > 0) {
        this.refill(now, s.bytesPerSecond);
        const wanted = Math.min(chunk.length, this.burst);
        if (this.tokens < wanted) {
          this.wake(((wanted - this.tokens) / s.bytesPerSecond) * 1000, false);
          return;
        }
        if (this.tokens < chunk.length) {
          const n = Math.floor(this.tokens);
          this.tokens -= n;
          this.chunks[this.head] = chunk.subarray(n);
          this.queuedBytes -= n;
          this.write(chunk.subarray(0, n));
          continue;
        }
        this.tokens -= chunk.length;
      }
      this.dequeue(chunk.length);
      this.write(chunk);
    }
    if (this.sourceEnded && !this.endSent && !s.stalled && !this.disposed) {
      this.endSent = true;
      this.dst.end();
    }
  }

  private dequeue(bytes: number): void {
    this.queuedBytes -= bytes;
    this.head++;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.releases = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.releases = this.releases.slice(this.head);
      this.head = 0;
    }
  }

  private syncSource(): void {
    const hold = this.waitingDrain || this.queuedBytes >= this.queueLimit || this.lent >= MAX_LENT;
    if (hold && !this.sourcePaused) {
      this.sourcePaused = true;
      this.src.pause();
    } else if (!hold && this.sourcePaused) {
      this.sourcePaused = false;
      this.src.resume();
    }
  }

  private wake(ms: number, precise: boolean): void {
    if (!precise || ms >= SPIN_MS) {
      // Aim a little early: the spinner covers the last stretch precisely.
      this.timer = setTimeout(this.onTimer, precise ? ms - TIMER_LEAD_MS : ms);
    } else if (this.deps.spinner.add(this)) {
      this.spinning = true;
    } else {
      this.timer = setTimeout(this.onTimer, ms);
    }
  }

  private cancelWake(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.spinning) {
      this.spinning = false;
      this.deps.spinner.delete(this);
    }
  }

  private resetBucket(): void {
    const rate = this.shaping.bytesPerSecond;
    this.burst = Math.max(MIN_BURST, Math.floor(rate * BURST_SECONDS));
    this.tokens = this.burst;
    this.refilledAt = this.deps.clock.now();
  }

  private refill(now: number, rate: number): void {
    const elapsed = now - this.refilledAt;
    this.refilledAt = now;
    if (elapsed > 0) this.tokens = Math.min(this.burst, this.tokens + (elapsed * rate) / 1000);
  }
}
