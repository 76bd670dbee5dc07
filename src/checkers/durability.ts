// Durability with Jepsen's set-full semantics (jepsen.checker/set-full), reduced to one final read
// per key: an acknowledged write absent when read back is LOST; an unknown write (timed out, may or
// may not have been applied) present when read back is RECOVERED; an acknowledged write whose read
// failed or never happened is NEVER-READ, and its fate is not known. Streaming: writes and final
// reads may come in any order. Per written key it keeps an index in a Map and, in typed arrays the
// garbage collector never scans, an acknowledgement time and a state: a million writes fit in ~100 MB.
import type { FinalRead, Operation } from '../domain/history.js';
import type { DurabilityFigures, LostWrite } from '../domain/workload-summary.js';

// Outcome in the low bits, read-back in the high bits.
const ACKED = 1;
const UNKNOWN = 2;
const READ: Record<FinalRead['found'], number> = { present: 4, absent: 8, error: 16 };
const READ_MASK = 4 | 8 | 16;

export const LOST_SAMPLE_SIZE = 20;

export class DurabilityCollector {
  private writes = 0;
  private size = 0;
  private readonly index = new Map<string, number>();
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
    // Keys are unique per write; should one be written twice, the later write is the one judged.
    let i = this.index.get(op.key);
    if (i === undefined) {
      i = this.size++;
      if (i === this.state.length) this.grow();
      this.index.set(op.key, i);
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
    const i = this.index.get(r.key);
    if (i === undefined) {
      this.early.set(r.key, r);
      return;
    }
    this.state[i] = (this.state[i]! & ~READ_MASK) | READ[r.found];
    if (r.found === 'error') this.firstReadError ??= r.error ?? 'the read failed';
  }

  private grow(): void {
    const state = new Uint8Array(this.state.length * 2);
    state.set(this.state);
    const ackAt = new Float64Array(this.ackAt.length * 2);
    ackAt.set(this.ackAt);
    this.state = state;
    this.ackAt = ackAt;
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
    const keys = this.keysOf(sample);
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
      lostSample: sample.map((i): LostWrite => ({ key: keys.get(i)!, ackAt: this.ackAt[i]! })),
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

  /** The keys of a few indices, in one pass over the index (keys are not stored twice). */
  private keysOf(wanted: readonly number[]): Map<number, string> {
    const want = new Set(wanted);
    const out = new Map<number, string>();
    if (want.size === 0) return out;
    for (const [key, i] of this.index) if (want.has(i)) out.set(i, key);
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
