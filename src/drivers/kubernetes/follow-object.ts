// Follows one named object through list + watch, keeping its latest state in memory, so readiness
// is known from the API server's push rather than by polling. A dropped or expired (410) watch is
// resumed with a fresh list, the way informers do.
import type { Clock } from '../../domain/context.js';
import type { ClusterApi } from './cluster-api.js';

/** The latest state: an object, null when it does not exist, undefined before the first list. */
export type Observed = Record<string, any> | null | undefined;

export interface FollowOptions {
  /** Collection path, e.g. "/apis/apps/v1/namespaces/shop/deployments". */
  path: string;
  name: string;
  /** Lists the collection narrowed to `name`; returns items and the list's resourceVersion. */
  list: () => Promise<{ items: unknown[]; resourceVersion: string }>;
  clock: Clock;
  onChange?: (obj: Observed) => void;
  /** Pause before re-listing after the watch ends. Default 100ms. */
  retryMs?: number;
}

export class ObjectFollower {
  current: Observed = undefined;
  /** Why the last list or watch failed, while it is failing. */
  lastError: Error | undefined;
  private stopped = false;
  private abort: AbortController | undefined;
  private readonly synced: Promise<void>;
  private resolveSynced!: () => void;
  private wake = new AbortController();

  constructor(private readonly api: ClusterApi, private readonly opts: FollowOptions) {
    this.synced = new Promise((r) => (this.resolveSynced = r));
  }

  start(): this {
    void this.loop();
    return this;
  }

  /** Resolves after the first successful list. */
  whenSynced(): Promise<void> {
    return this.synced;
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.wake.abort();
  }

  private set(obj: Observed): void {
    this.current = obj;
    this.opts.onChange?.(obj);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const { items, resourceVersion } = await this.opts.list();
        this.lastError = undefined;
        this.set((items.find((i) => (i as { metadata?: { name?: string } }).metadata?.name === this.opts.name) as Observed) ?? null);
        this.resolveSynced();
        if (this.stopped) return;
        await this.watchFrom(resourceVersion);
      } catch (err) {
        this.lastError = err instanceof Error ? err : new Error(String(err));
      }
      if (this.stopped) return;
      await this.opts.clock.sleep(this.opts.retryMs ?? 100, this.wake.signal).catch(() => undefined);
    }
  }

  private watchFrom(resourceVersion: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const query = { resourceVersion, fieldSelector: `metadata.name=${this.opts.name}`, allowWatchBookmarks: true };
      this.api.watcher
        .watch(
          this.opts.path,
          query,
          (type, obj) => {
            if (type === 'ADDED' || type === 'MODIFIED') this.set(obj);
            else if (type === 'DELETED') this.set(null);
            // BOOKMARK and ERROR (e.g. 410 Gone) need nothing here: an ERROR is followed by the end of the stream.
          },
          (err) => (err && !this.stopped ? reject(err) : resolve()),
        )
        .then((ctl) => {
          this.abort = ctl;
          if (this.stopped) ctl.abort();
        }, reject);
    });
  }
}
