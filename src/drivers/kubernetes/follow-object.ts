// Follows one named object through list + watch, keeping its latest state in memory, so readiness
// is known from the API server's push rather than by polling. A dropped or expired (410) watch is
// resumed with a fresh list, the way informers do.
import type { Clock } from '../../domain/context.js';
import type { ClusterApi } from './cluster-api.js';
import { ListWatch } from './list-watch.js';

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

export class ObjectFollower extends ListWatch {
  current: Observed = undefined;

  constructor(
    api: ClusterApi,
    private readonly opts: FollowOptions,
  ) {
    super(api, opts);
  }

  private set(obj: Observed): void {
    this.current = obj;
    this.opts.onChange?.(obj);
  }

  protected async list(): Promise<string> {
    const { items, resourceVersion } = await this.opts.list();
    this.set((items.find((i) => (i as { metadata?: { name?: string } }).metadata?.name === this.opts.name) as Observed) ?? null);
    return resourceVersion;
  }

  protected watched(): { path: string; query: Record<string, string> } {
    return { path: this.opts.path, query: { fieldSelector: `metadata.name=${this.opts.name}` } };
  }

  protected onEvent(type: string, obj: Observed): void {
    if (type === 'ADDED' || type === 'MODIFIED') this.set(obj);
    else if (type === 'DELETED') this.set(null);
  }
}
