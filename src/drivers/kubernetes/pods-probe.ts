// The k8s-ready probe over the pods a label selector selects (chaosk8s's pods_in_phase and more):
// at least one pod, or exactly `count`, and each one Ready (not terminating) or, with `phase`, in
// that phase as status.phase says (a terminating pod still reports Running there, as Chaos
// Toolkit's probe sees it).
import type { V1Pod } from '@kubernetes/client-node';
import type { RunContext } from '../../domain/context.js';
import type { ProbeParams } from '../../domain/experiment.js';
import type { ProbeRunner } from '../driver.js';
import type { ClusterApi } from './cluster-api.js';
import { PodSetFollower } from './follow-pods.js';
import { labelSelectorText } from './selector-text.js';

type PodsSpec = ProbeParams<'k8s-ready'> & { labels: Record<string, string> };

function isReady(p: V1Pod): boolean {
  return !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Whether the selected pods pass, and why not. Pure. */
export function podsVerdict(spec: Pick<PodsSpec, 'phase' | 'count'>, pods: readonly V1Pod[]): { ok: boolean; why?: string } {
  const want = spec.phase ?? 'Ready';
  if (spec.count !== undefined && pods.length !== spec.count) return { ok: false, why: `${pods.length} pod(s) selected, ${spec.count} expected` };
  if (pods.length === 0) return spec.count === 0 ? { ok: true } : { ok: false, why: 'no pod selected' };
  const bad = [...pods]
    .sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!))
    .filter((p) => (spec.phase ? p.status?.phase !== spec.phase : !isReady(p)))
    .map((p) => `${p.metadata!.name} ${spec.phase ? `is ${p.status?.phase ?? 'in no phase'}` : p.metadata?.deletionTimestamp ? 'is terminating' : `is not Ready (phase ${p.status?.phase ?? 'unknown'})`}`);
  if (bad.length > 0) return { ok: false, why: `${pods.length - bad.length}/${pods.length} pods ${want}: ${bad.slice(0, 3).join(', ')}${bad.length > 3 ? ', ...' : ''}` };
  return { ok: true };
}

export class PodsProbe implements ProbeRunner {
  private follower: PodSetFollower | undefined;

  constructor(private readonly api: ClusterApi, private readonly spec: PodsSpec, private readonly namespace: string, private readonly timeoutMs: number) {}

  async sample(ctx: RunContext) {
    const t = ctx.clock.now();
    const labelSelector = labelSelectorText(this.spec.labels, undefined, 'k8s-ready labels');
    this.follower ??= new PodSetFollower(this.api, { namespace: this.namespace, labelSelector, clock: ctx.clock }).start();
    const f = this.follower;
    if (f.current === undefined) {
      const timeout = new AbortController();
      await Promise.race([f.whenSynced(), ctx.clock.sleep(this.timeoutMs, timeout.signal).catch(() => undefined)]);
      timeout.abort();
    }
    const label = `pods ${labelSelector} in ${this.namespace}`;
    const r = f.current === undefined ? { ok: false, why: f.lastError?.message ?? 'no state received from the API server yet' } : podsVerdict(this.spec, [...f.current.values()]);
    return { t, ok: r.ok, ms: ctx.clock.now() - t, ...(r.ok ? {} : { error: `${label}: ${r.why}` }) };
  }

  async close(): Promise<void> {
    this.follower?.stop();
  }
}
