// Follows the pods a label selector selects in one namespace through list + watch, keeping their
// latest states in memory (as ObjectFollower does for one named object): a sample reads what the
// API server pushed, not a list round-trip. A dropped or expired (410) watch is resumed with a
// fresh list.
import type { V1Pod } from '@kubernetes/client-node';
import type { Clock } from '../../domain/context.js';
import type { ClusterApi } from './cluster-api.js';
import { ListWatch } from './list-watch.js';

export class PodSetFollower extends ListWatch {
  /** By pod name; undefined before the first list. */
  current: Map<string, V1Pod> | undefined;

  constructor(
    api: ClusterApi,
    private readonly opts: { namespace: string; labelSelector: string; clock: Clock; retryMs?: number },
  ) {
    super(api, opts);
  }

  protected async list(): Promise<string> {
    const { namespace, labelSelector } = this.opts;
    const res = await this.api.call({ verb: 'list', resource: 'pods', group: '', namespace }, () => this.api.core.listNamespacedPod({ namespace, labelSelector }));
    this.current = new Map(res.items.map((p) => [p.metadata!.name!, p]));
    return res.metadata?.resourceVersion ?? '';
  }

  protected watched(): { path: string; query: Record<string, string> } {
    return { path: `/api/v1/namespaces/${this.opts.namespace}/pods`, query: { labelSelector: this.opts.labelSelector } };
  }

  protected onEvent(type: string, pod: V1Pod): void {
    const name = pod.metadata?.name;
    if (!name || !this.current) return;
    if (type === 'ADDED' || type === 'MODIFIED') this.current.set(name, pod);
    else if (type === 'DELETED') this.current.delete(name);
  }
}
