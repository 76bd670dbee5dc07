// Durability with Jepsen's set-full semantics (jepsen.checker/set-full), reduced to one final read
// per key: an acknowledged write absent when read back is LOST; an unknown write (timed out, may or
// may not have been applied) present when read back is RECOVERED; an acknowledged write whose read
// failed or never happened is NEVER-READ, and its fate is not known. Streaming: writes and final
// reads may come in any order. Per judged write it keeps its key and, in typed arrays the garbage
// collector never scans, an acknowledgement time and a state. A read that names its write's seq is
// joined through an array indexed by seq (and checked against the key); only reads without one
// need the Map from key to write, built on first use: hashing a million keys costs more than
// everything else together.
import type { FinalRead, Operation } from '../../domain/history.js';
import type { DurabilityFigures, LostWrite } from '../../domain/workload-summary.js';

// Outcome in the low bits, read-back in the high bits.
const ACKED = 1;
const UNKNOWN = 2;
const READ: Record<FinalRead['found'], number> = { present: 4, absent: 8, error: 16 };
const READ_MASK = 4 | 8 | 16;

export const LOST_SAMPLE_SIZE = 20;

export class DurabilityCollector {
  private writes = 0;
  private size = 0;
  private readonly keys: string[] = [];
  /** seq -> index + 1 (0: no judged write with that seq). */
  private bySeq = new Int32Array(1024);
  /** key -> index, built only when a read comes without a usable seq, then kept up to date. */
  private byKey: Map<string, number> | null = null;
  private state = new Uint8Array(1024);
  private ackAt = new Float64Array(1024);
  /** Final reads of keys not written yet (reads may be fed before the history). */
  private readonly early = new Map<string, FinalRead>();
  /** The first read error seen: the reason given for never-read writes (one is enough to explain them). */
  private firstReadError: string | null = null;

  addOperation(op: Operation): void {
    if (op.type !== 'write') return;
    this.writes++;
    if (op.outcome !== 'ok' && op.outcome !== 'unknown') return;
    // Keys are unique per write (the runtime makes them so). Were one written twice under different
    // seqs, both writes would be judged and the one not read back would count as never read: a
    // verdict that errs towards unknown, never towards a pass.
    let i = this.byKey ? this.byKey.get(op.key) : this.indexBySeq(op.seq, op.key);
    if (i === undefined) {
      i = this.size++;
      if (i === this.state.length) this.state = grown(this.state);
      if (i === this.ackAt.length) this.ackAt = grown(this.ackAt);
      this.keys.push(op.key);
      this.byKey?.set(op.key, i);
    }
    // seq is dense from 0 per workload; a wild one is left to the key index rather than allocated for.
    if (Number.isInteger(op.seq) && op.seq >= 0 && op.seq < 16 * (this.writes + 1024)) {
      while (op.seq >= this.bySeq.length) this.bySeq = grown(this.bySeq);
      this.bySeq[op.seq] = i + 1;
    }
    this.state[i] = (this.state[i]! & READ_MASK) | (op.outcome === 'ok' ? ACKED : UNKNOWN);
    this.ackAt[i] = op.completedAt ?? op.scheduledAt;
    if (this.early.size === 0) return;
    const pending = this.early.get(op.key);
    if (pending) {
      this.early.delete(op.key);
      this.addFinalRead(pending);
    }
  }

  addFinalRead(r: FinalRead): void {
    const i = (r.seq === undefined ? undefined : this.indexBySeq(r.seq, r.key)) ?? this.keyIndex().get(r.key);
    if (i === undefined) {
      this.early.set(r.key, r);
      return;
    }
    this.state[i] = (this.state[i]! & ~READ_MASK) | READ[r.found];
    if (r.found === 'error') this.firstReadError ??= r.error ?? 'the read failed';
  }

  /** The write with this seq, if its key is `key`. */
  private indexBySeq(seq: number, key: string): number | undefined {
    const i = seq >= 0 && seq < this.bySeq.length ? this.bySeq[seq]! - 1 : -1;
    return i >= 0 && this.keys[i] === key ? i : undefined;
  }

  private keyIndex(): Map<string, number> {
    if (!this.byKey) {
      this.byKey = new Map();
      for (let i = 0; i < this.keys.length; i++) this.byKey.set(this.keys[i]!, i);
    }
    return this.byKey;
  }

  result(): DurabilityFigures {
    let acknowledged = 0;
    let unknown = 0;
    let recovered = 0;
    let neverRead = 0;
    const lost: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const s = this.state[i]!;
      if (s & UNKNOWN) {
        unknown++;
        if (s & READ.present) recovered++;
        continue;
      }
      acknowledged++;
      if (s & READ.absent) lost.push(i);
      else if (!(s & READ.present)) {
        neverRead++;
      }
    }
    lost.sort((a, b) => this.ackAt[a]! - this.ackAt[b]!);
    const sample = spread(lost, LOST_SAMPLE_SIZE);
    const firstLostAck = lost.length ? this.ackAt[lost[0]!]! : null;
    const lastLostAck = lost.length ? this.ackAt[lost.at(-1)!]! : null;
    return {
      writes: this.writes,
      acknowledged,
      lost: lost.length,
      unknown,
      recovered,
      neverRead,
      neverReadReason: neverRead === 0 ? null : (this.firstReadError ?? 'not read back'),
      lostSample: sample.map((i): LostWrite => ({ key: this.keys[i]!, ackAt: this.ackAt[i]! })),
      firstLostAck,
      lastLostAck,
      rpoMs: firstLostAck === null || lastLostAck === null ? 0 : lastLostAck - firstLostAck,
    };
  }

  /** Acknowledgement times of every lost write, for the timeline. */
  lostAckTimes(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if ((this.state[i]! & (ACKED | READ.absent)) === (ACKED | READ.absent)) out.push(this.ackAt[i]!);
    return out;
  }
}

/** Up to `n` items evenly spaced over `items`, always including the first and the last. */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const out: T[] = [];
  for (let k = 0; k < n; k++) out.push(items[Math.round((k * (items.length - 1)) / (n - 1))]!);
  return out;
}

/** A typed array twice as long with the same first elements. */
function grown<T extends Uint8Array | Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
