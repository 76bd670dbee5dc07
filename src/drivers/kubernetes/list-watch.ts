// The informer loop shared by the followers: list, then watch from the list's resourceVersion, and
// when the watch ends (dropped, or expired with 410 Gone) list again after a short pause. Each
// follower says what it lists, what it watches and what an event changes.
import type { Clock } from '../../domain/context.js';
import type { ClusterApi } from './cluster-api.js';

export abstract class ListWatch {
  /** Why the last list or watch failed, while it is failing. */
  lastError: Error | undefined;
  private stopped = false;
  private abort: AbortController | undefined;
  private readonly synced: Promise<void>;
  private resolveSynced!: () => void;
  private readonly wake = new AbortController();

  constructor(
    protected readonly api: ClusterApi,
    private readonly timing: { clock: Clock; retryMs?: number },
  ) {
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

  /** Lists, keeps what it found, and returns the resourceVersion to watch from. */
  protected abstract list(): Promise<string>;
  /** The collection to watch and the selector narrowing it. */
  protected abstract watched(): { path: string; query: Record<string, string> };
  /** ADDED, MODIFIED, DELETED; BOOKMARK and ERROR need nothing (an ERROR is followed by the stream's end). */
  protected abstract onEvent(type: string, obj: any): void;

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const resourceVersion = await this.list();
        this.lastError = undefined;
        this.resolveSynced();
        if (this.stopped) return;
        await this.watchFrom(resourceVersion);
      } catch (err) {
        this.lastError = err instanceof Error ? err : new Error(String(err));
      }
      if (this.stopped) return;
      await this.timing.clock.sleep(this.timing.retryMs ?? 100, this.wake.signal).catch(() => undefined);
    }
  }

  private watchFrom(resourceVersion: string): Promise<void> {
    const { path, query } = this.watched();
    return new Promise<void>((resolve, reject) => {
      this.api.watcher
        .watch(
          path,
          { ...query, resourceVersion, allowWatchBookmarks: true },
          (type, obj) => this.onEvent(type, obj),
          (err) => (err && !this.stopped ? reject(err) : resolve()),
        )
        .then((ctl) => {
          this.abort = ctl;
          if (this.stopped) ctl.abort();
        }, reject);
    });
  }
}
