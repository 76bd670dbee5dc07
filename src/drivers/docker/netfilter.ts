// Applying and removing faultline chains in a namespace. Removals that arrive in the same turn of
// the event loop for the same namespace are merged into one iptables-restore, so reverting many
// faults costs one process per namespace.
import type { NetnsAccess, NsRef } from './netns.js';
import { addText, removeFromSaved, removeText, type ChainRef, type ChainSpec } from './rules.js';

interface Pending {
  ref: NsRef;
  refs: ChainRef[];
  waiters: { resolve: () => void; reject: (e: Error) => void }[];
}

export class Netfilter {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(private readonly access: NetnsAccess) {}

  private async ok(ref: NsRef, argv: string[], input?: string): Promise<string> {
    const r = await this.access.run(ref, argv, input);
    if (r.code !== 0) throw new Error(`${argv.join(' ')} in ${ref.name}'s network namespace failed (exit ${r.code}): ${r.error ?? (r.stderr.trim() || r.stdout.trim())}`);
    return r.stdout;
  }

  /** Idempotent: a chain left by an earlier inject of the same fault is replaced, not doubled. */
  async apply(ref: NsRef, specs: ChainSpec[]): Promise<void> {
    const save = await this.ok(ref, ['iptables-save']);
    const cleanup = removeFromSaved(save, specs);
    await this.ok(ref, ['iptables-restore', '--noflush'], cleanup + addText(specs));
  }

  remove(ref: NsRef, refs: ChainRef[]): Promise<void> {
    const key = `${ref.id}/${ref.pid}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { ref, refs: [], waiters: [] };
      this.pending.set(key, p);
    }
    p.refs.push(...refs);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        const batch = [...this.pending.values()];
        this.pending = new Map();
        void this.flush(batch);
      });
    }
    const entry = p;
    return new Promise((resolve, reject) => entry.waiters.push({ resolve, reject }));
  }

  private async flush(batch: Pending[]): Promise<void> {
    let fast: number[] | undefined;
    if (this.access.runMany && batch.length > 1) {
      fast = await this.access.runMany(batch.map((p) => ({ ref: p.ref, argv: ['iptables-restore', '--noflush'], input: removeText(p.refs) }))).catch(() => undefined);
    }
    await Promise.all(
      batch.map(async (p, i) => {
        try {
          if (fast?.[i] === 0) return;
          await this.removeNow(p.ref, p.refs, fast === undefined);
          p.waiters.forEach((w) => w.resolve());
        } catch (e) {
          p.waiters.forEach((w) => w.reject(e as Error));
          return;
        }
      }),
    );
    batch.forEach((p, i) => {
      if (fast?.[i] === 0) p.waiters.forEach((w) => w.resolve());
    });
  }

  private async removeNow(ref: NsRef, refs: ChainRef[], tryFast: boolean): Promise<void> {
    if (tryFast) {
      const fast = await this.access.run(ref, ['iptables-restore', '--noflush'], removeText(refs));
      if (fast.code === 0) return;
    }
    // Something was already gone (a second revert, a hand edit): delete only what is still there.
    const save = await this.ok(ref, ['iptables-save']);
    const text = removeFromSaved(save, refs);
    if (text) await this.ok(ref, ['iptables-restore', '--noflush'], text);
  }
}
