// Leader election over a lease (coordination.k8s.io/v1 Lease in practice): acquire when absent,
// expired or released; renew while leading; release on exit. Expiry is judged by this process's
// own clock from when it last saw the record change, never by comparing its clock with the
// renewTime another machine wrote, so clock skew between replicas cannot elect two leaders.
import type { Clock, Logger } from '../domain/context.js';
import type { LeaseRecord, LeaseStore } from '../domain/lease.js';

export interface LeaderElectorOptions {
  identity: string;
  store: LeaseStore;
  clock: Clock;
  log: Logger;
  /** How long a lease holds without renewal. Default 15s. */
  leaseDurationMs?: number;
  /** How often to try to acquire or renew. Default 2s; must be well below the duration. */
  retryMs?: number;
  onChange?: (leading: boolean) => void;
}

export class LeaderElector {
  private leadingUntil = 0;
  private observed: { version: string; at: number } | undefined;
  private readonly durationMs: number;
  private readonly retryMs: number;
  private wasLeading = false;

  constructor(private readonly o: LeaderElectorOptions) {
    this.durationMs = o.leaseDurationMs ?? 15_000;
    this.retryMs = o.retryMs ?? 2000;
  }

  /** True while the last successful acquire or renew is younger than the lease duration. */
  isLeader(): boolean {
    return this.o.clock.now() < this.leadingUntil;
  }

  /** One attempt; returns whether this replica leads afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { clock, identity, store } = this.o;
    const now = clock.now();
    try {
      const current = await store.read();
      const seconds = Math.ceil(this.durationMs / 1000);
      if (!current) {
        await store.create({ holder: identity, durationSeconds: seconds, acquireTime: now, renewTime: now, transitions: 0 });
        return this.lead(now);
      }
      if (this.observed?.version !== current.version) this.observed = { version: current.version, at: now };
      const mine = current.holder === identity;
      const expired = current.holder === '' || now >= this.observed.at + current.durationSeconds * 1000;
      if (!mine && !expired) return this.follow(current.holder);
      const next: LeaseRecord = mine
        ? { ...current, renewTime: now, durationSeconds: seconds }
        : { ...current, holder: identity, acquireTime: now, renewTime: now, durationSeconds: seconds, transitions: current.transitions + 1 };
      const written = await store.replace(next);
      this.observed = { version: written.version, at: now };
      return this.lead(now);
    } catch (e) {
      // A conflict means another replica wrote first; anything else is a failed renewal. Either way
      // leadership lapses on its own when leadingUntil passes.
      if (!isConflict(e)) this.o.log.warn(`leader election: ${e instanceof Error ? e.message : String(e)}`);
      this.changed();
      return this.isLeader();
    }
  }

  /** Tries every retry period until `signal` aborts, then releases the lease if held. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.tryAcquireOrRenew();
      await this.o.clock.sleep(this.retryMs, signal).catch(() => undefined);
    }
    await this.release();
  }

  /** Hands the lease back so another replica takes over at once instead of after expiry. */
  async release(): Promise<void> {
    if (!this.isLeader()) return;
    this.leadingUntil = 0;
    try {
      const current = await this.o.store.read();
      if (current?.holder === this.o.identity) await this.o.store.replace({ ...current, holder: '', durationSeconds: 1 });
      this.o.log.info(`leader election: ${this.o.identity} released the lease`);
    } catch (e) {
      this.o.log.warn(`leader election: release failed (${e instanceof Error ? e.message : String(e)}); the lease expires on its own`);
    }
    this.changed();
  }

  private lead(now: number): boolean {
    this.leadingUntil = now + this.durationMs;
    this.changed();
    return true;
  }

  private follow(holder: string): boolean {
    if (this.wasLeading) this.o.log.warn(`leader election: ${holder} now holds the lease`);
    this.leadingUntil = 0;
    this.changed();
    return false;
  }

  private changed(): void {
    const leading = this.isLeader();
    if (leading !== this.wasLeading) {
      this.o.log.info(`leader election: ${this.o.identity} ${leading ? 'is now the leader' : 'is no longer the leader'}`);
      this.o.onChange?.(leading);
    }
    this.wasLeading = leading;
  }
}

/** Conflict errors carry status 409 (Kubernetes) or name themselves. */
export function isConflict(e: unknown): boolean {
  const err = e as { code?: unknown; statusCode?: unknown; name?: unknown } | null;
  return err?.code === 409 || err?.statusCode === 409 || err?.name === 'LeaseConflict';
}
