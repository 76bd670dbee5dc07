// Follows the pods a label selector selects in one namespace through list + watch, keeping their
// latest states in memory (as ObjectFollower does for one named object): a sample reads what the
// API server pushed, not a list round-trip. A dropped or expired (410) watch is resumed with a
// fresh list.
import type { V1Pod } from '@kubernetes/client-node';
import type { Clock } from '../../domain/context.js';
import type { ClusterApi } from './cluster-api.js';

export class PodSetFollower {
  /** By pod name; undefined before the first list. */
  current: Map<string, V1Pod> | undefined;
  lastError: Error | undefined;
  private stopped = false;
  private abort: AbortController | undefined;
  private readonly synced: Promise<void>;
  private resolveSynced!: () => void;
  private readonly wake = new AbortController();

  constructor(
    private readonly api: ClusterApi,
    private readonly opts: { namespace: string; labelSelector: string; clock: Clock; retryMs?: number },
  ) {
    this.synced = new Promise((r) => (this.resolveSynced = r));
  }

  start(): this {
    void this.loop();
    return this;
  }

  whenSynced(): Promise<void> {
    return this.synced;
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.wake.abort();
  }

  private async loop(): Promise<void> {
    const { namespace, labelSelector } = this.opts;
    while (!this.stopped) {
      try {
        const res = await this.api.call({ verb: 'list', resource: 'pods', group: '', namespace }, () => this.api.core.listNamespacedPod({ namespace, labelSelector }));
        this.lastError = undefined;
        this.current = new Map(res.items.map((p) => [p.metadata!.name!, p]));
        this.resolveSynced();
        if (this.stopped) return;
        await this.watchFrom(res.metadata?.resourceVersion ?? '');
      } catch (err) {
        this.lastError = err instanceof Error ? err : new Error(String(err));
      }
      if (this.stopped) return;
      await this.opts.clock.sleep(this.opts.retryMs ?? 100, this.wake.signal).catch(() => undefined);
    }
  }

  private watchFrom(resourceVersion: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const query = { resourceVersion, labelSelector: this.opts.labelSelector, allowWatchBookmarks: true };
      this.api.watcher
        .watch(
          `/api/v1/namespaces/${this.opts.namespace}/pods`,
          query,
          (type, pod: V1Pod) => {
            const name = pod.metadata?.name;
            if (!name || !this.current) return;
            if (type === 'ADDED' || type === 'MODIFIED') this.current.set(name, pod);
            else if (type === 'DELETED') this.current.delete(name);
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
