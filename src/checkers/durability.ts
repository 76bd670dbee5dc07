// Durability with Jepsen's set-full semantics (jepsen.checker/set-full), reduced to one final read
// per key: an acknowledged write absent when read back is LOST; an unknown write (timed out, may or
// may not have been applied) present when read back is RECOVERED; an acknowledged write whose read
// failed or never happened is NEVER-READ, and its fate is not known. Streaming: writes and final
// reads may come in any order; per written key it keeps an index, an acknowledgement time and a state.
import type { FinalRead, Operation } from '../domain/history.js';
import type { DurabilityFigures, LostWrite } from '../domain/workload-summary.js';

const ACKED = 1;
const UNKNOWN = 2;
type ReadState = 0 | 'present' | 'absent' | 'error';

export const LOST_SAMPLE_SIZE = 20;

export class DurabilityCollector {
  private writes = 0;
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly outcome: number[] = [];
  private readonly ackAt: number[] = [];
  private readonly read: ReadState[] = [];
  /** Final reads of keys not written yet (reads may be fed before the history). */
  private readonly early = new Map<string, FinalRead>();
  private readonly errors = new Map<string, string>();

  addOperation(op: Operation): void {
    if (op.type !== 'write') return;
    this.writes++;
    if (op.outcome !== 'ok' && op.outcome !== 'unknown') return;
    // Keys are unique per write; should one be written twice, the later write is the one judged.
    const i = this.index.get(op.key) ?? this.keys.length;
    this.index.set(op.key, i);
    this.keys[i] = op.key;
    this.outcome[i] = op.outcome === 'ok' ? ACKED : UNKNOWN;
    this.ackAt[i] = op.completedAt ?? op.scheduledAt;
    this.read[i] ??= 0;
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
    this.read[i] = r.found;
    if (r.found === 'error' && r.error !== undefined && !this.errors.has(r.key)) this.errors.set(r.key, r.error);
  }

  result(): DurabilityFigures {
    let acknowledged = 0;
    let unknown = 0;
    let recovered = 0;
    let neverRead = 0;
    let neverReadReason: string | null = null;
    const lost: number[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const state = this.read[i];
      if (this.outcome[i] === UNKNOWN) {
        unknown++;
        if (state === 'present') recovered++;
        continue;
      }
      acknowledged++;
      if (state === 'absent') lost.push(i);
      else if (state !== 'present') {
        neverRead++;
        neverReadReason ??= this.errors.get(this.keys[i]!) ?? (state === 0 ? 'not read back' : 'the read failed');
      }
    }
    lost.sort((a, b) => this.ackAt[a]! - this.ackAt[b]!);
    const firstLostAck = lost.length ? this.ackAt[lost[0]!]! : null;
    const lastLostAck = lost.length ? this.ackAt[lost.at(-1)!]! : null;
    return {
      writes: this.writes,
      acknowledged,
      lost: lost.length,
      unknown,
      recovered,
      neverRead,
      neverReadReason,
      lostSample: spread(lost, LOST_SAMPLE_SIZE).map((i): LostWrite => ({ key: this.keys[i]!, ackAt: this.ackAt[i]! })),
      firstLostAck,
      lastLostAck,
      rpoMs: firstLostAck === null || lastLostAck === null ? 0 : lastLostAck - firstLostAck,
    };
  }

  /** Acknowledgement times of every lost write, for the timeline. */
  lostAckTimes(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.keys.length; i++) if (this.outcome[i] === ACKED && this.read[i] === 'absent') out.push(this.ackAt[i]!);
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
