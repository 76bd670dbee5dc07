// The k8s-ready probe: a Deployment or StatefulSet has its desired ready replicas, or a Pod is
// Ready. Each sample reads the state kept current by a watch (follow-object.ts), so the moment of
// recovery is bounded by the sampling interval, not by a list round-trip.
import type { RunContext } from '../../domain/context.js';
import type { ProbeParams } from '../../domain/experiment.js';
import type { ProbeRunner } from '../driver.js';
import type { ClusterApi } from './cluster-api.js';
import { ObjectFollower, type Observed } from './follow-object.js';

type ReadySpec = ProbeParams<'k8s-ready'> & { name: string };

/** Ready or not, and why not, from one observed object. */
export function readiness(kind: ReadySpec['kind'], obj: Observed): { ok: boolean; why?: string } {
  if (obj === undefined) return { ok: false, why: 'no state received from the API server yet' };
  if (obj === null) return { ok: false, why: 'not found' };
  if (kind === 'Pod') {
    if (obj.metadata?.deletionTimestamp) return { ok: false, why: 'terminating' };
    const ready = (obj.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
    return ready?.status === 'True' ? { ok: true } : { ok: false, why: `not Ready (phase ${obj.status?.phase ?? 'unknown'})` };
  }
  const desired: number = obj.spec?.replicas ?? 1;
  const ready: number = obj.status?.readyReplicas ?? 0;
  const observed: number = obj.status?.observedGeneration ?? 0;
  if (observed < (obj.metadata?.generation ?? 0)) return { ok: false, why: `controller has not yet observed generation ${obj.metadata.generation}` };
  return ready >= desired ? { ok: true } : { ok: false, why: `${ready}/${desired} replicas ready` };
}

export class ReadyProbe implements ProbeRunner {
  private follower: ObjectFollower | undefined;

  constructor(private readonly api: ClusterApi, private readonly spec: ReadySpec, private readonly namespace: string, private readonly timeoutMs: number) {}

  private start(ctx: RunContext): ObjectFollower {
    const { kind, name } = this.spec;
    const namespace = this.namespace;
    const fieldSelector = `metadata.name=${name}`;
    const op = { verb: 'list', resource: `${kind.toLowerCase()}s`, group: kind === 'Pod' ? '' : 'apps', namespace };
    const list = async () => {
      const res: { items: unknown[]; metadata?: { resourceVersion?: string } } = await this.api.call(op, (): Promise<{ items: unknown[]; metadata?: { resourceVersion?: string } }> =>
        kind === 'Pod'
          ? this.api.core.listNamespacedPod({ namespace, fieldSelector })
          : kind === 'Deployment'
            ? this.api.apps.listNamespacedDeployment({ namespace, fieldSelector })
            : this.api.apps.listNamespacedStatefulSet({ namespace, fieldSelector }),
      );
      return { items: res.items, resourceVersion: res.metadata?.resourceVersion ?? '' };
    };
    const path = kind === 'Pod' ? `/api/v1/namespaces/${namespace}/pods` : `/apis/apps/v1/namespaces/${namespace}/${kind.toLowerCase()}s`;
    return new ObjectFollower(this.api, { path, name, list, clock: ctx.clock }).start();
  }

  async sample(ctx: RunContext) {
    const t = ctx.clock.now();
    this.follower ??= this.start(ctx);
    const f = this.follower;
    if (f.current === undefined) {
      const timeout = new AbortController();
      await Promise.race([f.whenSynced(), ctx.clock.sleep(this.timeoutMs, timeout.signal).catch(() => undefined)]);
      timeout.abort();
    }
    const r = readiness(this.spec.kind, f.current);
    const label = `${this.spec.kind} ${this.namespace}/${this.spec.name}`;
    const error = r.ok ? undefined : f.lastError && f.current === undefined ? `${label}: ${f.lastError.message}` : `${label}: ${r.why}`;
    return { t, ok: r.ok, ms: ctx.clock.now() - t, ...(error ? { error } : {}) };
  }

  async close(): Promise<void> {
    this.follower?.stop();
  }
}
