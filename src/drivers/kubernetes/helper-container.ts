// Adding one of faultline's ephemeral helper containers to a pod and waiting, through a watch on
// that pod, until it runs (or has already finished). A helper that does not start in time ends
// in a clean message; its FAULTLINE_START_BY guard makes a late start a no-op.
import { randomBytes } from 'node:crypto';
import { PatchStrategy, setHeaderOptions, type V1EphemeralContainer } from '@kubernetes/client-node';
import type { RunContext } from '../../domain/context.js';
import type { ClusterApi } from './cluster-api.js';
import { ObjectFollower, type Observed } from './follow-object.js';
import { HELPER_PREFIX, dnsLabel } from './labels.js';
import type { PodFacts } from './pod-target.js';

export type HelperAction = 'kill' | 'impair' | 'restore';

export interface HelperRequest {
  action: HelperAction;
  image: string;
  script: string;
  runId: string;
  /** Container whose PID namespace the helper joins (container-kill). */
  targetContainer?: string;
  netAdmin: boolean;
  /** Epoch ms after which an impairment lifts itself. */
  deadline?: number;
  /** Extra environment, recorded in the pod spec (e.g. the impairment as JSON). */
  env?: Record<string, string>;
  /** Wait until the helper runs (a held impairment) or until it has finished (kill, restore). */
  until: 'running' | 'terminated';
  /**
   * After "running", keep watching this long: a helper whose tc or iptables fails exits at once,
   * and that must be an injection failure rather than a fault that silently does nothing.
   */
  settleMs?: number;
}

export type HelperOutcome =
  | { state: 'running' | 'terminated'; container: string; exitCode?: number; message?: string }
  | { state: 'vanished'; container: string };

export class HelperTimeoutError extends Error {
  override readonly name = 'HelperTimeoutError';
}

/**
 * Unique per pod (ephemeral container names can never be reused, even after the container ended),
 * and carrying the run id so `kubectl describe pod` shows which run added it.
 */
export function helperName(action: HelperAction, runId: string): string {
  return `${dnsLabel(`${HELPER_PREFIX}${action}-${runId}`, 54)}-${randomBytes(4).toString('hex')}`;
}

export function helperContainer(name: string, req: HelperRequest, startBy: number): V1EphemeralContainer {
  const env = {
    FAULTLINE_ACTION: req.action,
    FAULTLINE_RUN_ID: req.runId,
    FAULTLINE_START_BY: String(Math.floor(startBy / 1000)),
    ...(req.deadline !== undefined ? { FAULTLINE_DEADLINE: String(Math.floor(req.deadline / 1000)) } : {}),
    ...(req.env ?? {}),
  };
  return {
    name,
    image: req.image,
    command: ['sh', '-c', req.script],
    env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
    ...(req.targetContainer ? { targetContainerName: req.targetContainer } : {}),
    securityContext: req.netAdmin ? { capabilities: { add: ['NET_ADMIN'] } } : {},
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

function helperState(pod: Observed, name: string): { state?: Record<string, any>; uid?: string } {
  if (!pod) return {};
  const st = (pod.status?.ephemeralContainerStatuses ?? []).find((s: { name: string }) => s.name === name);
  return { state: st?.state, uid: pod.metadata?.uid };
}

function waitingText(state: Record<string, any> | undefined): string {
  const w = state?.waiting;
  if (!w) return 'no status reported by the kubelet';
  return `waiting: ${w.reason ?? 'unknown'}${w.message ? ` (${w.message})` : ''}`;
}

/**
 * Adds the helper and resolves once it runs or has finished. A pod that is gone (or re-created
 * under the same name) resolves as vanished.
 */
export async function runHelper(api: ClusterApi, pod: PodFacts, req: HelperRequest, timeoutMs: number, ctx: RunContext): Promise<HelperOutcome> {
  const name = helperName(req.action, req.runId);
  const startBy = ctx.clock.now() + timeoutMs;
  const container = helperContainer(name, req, startBy);
  const { namespace } = pod;
  const op = { verb: 'patch', resource: 'pods/ephemeralcontainers', group: '', namespace, name: pod.pod };
  const patched = await api.call(
    op,
    () => api.core.patchNamespacedPodEphemeralcontainers({ name: pod.pod, namespace, body: { spec: { ephemeralContainers: [container] } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)),
    () => null,
  );
  if (!patched || (pod.uid && patched.metadata?.uid !== pod.uid)) return { state: 'vanished', container: name };

  let settle: (o: HelperOutcome) => void = () => {};
  const settled = new Promise<HelperOutcome>((r) => (settle = r));
  const follower = new ObjectFollower(api, {
    path: `/api/v1/namespaces/${namespace}/pods`,
    name: pod.pod,
    clock: ctx.clock,
    list: async () => {
      const res = await api.call({ verb: 'list', resource: 'pods', group: '', namespace }, () => api.core.listNamespacedPod({ namespace, fieldSelector: `metadata.name=${pod.pod}` }));
      return { items: res.items, resourceVersion: res.metadata?.resourceVersion ?? '' };
    },
    onChange: (obj) => {
      if (obj === null || (pod.uid && obj?.metadata?.uid && obj.metadata.uid !== pod.uid)) return settle({ state: 'vanished', container: name });
      const { state } = helperState(obj, name);
      if (state?.running && req.until === 'running') settle({ state: 'running', container: name });
      else if (state?.terminated) settle({ state: 'terminated', container: name, exitCode: state.terminated.exitCode, message: state.terminated.message });
    },
  }).start();
  const timer = new AbortController();
  const timedOut = ctx.clock.sleep(timeoutMs, timer.signal).then(
    () => 'timeout' as const,
    () => 'cancelled' as const,
  );
  try {
    const first = await Promise.race([settled, timedOut]);
    if (first === 'timeout') {
      // Not being able to watch the pod at all is its own problem (often a missing "watch" grant).
      if (follower.current === undefined && follower.lastError) throw follower.lastError;
      const last = helperState(follower.current, name).state;
      throw new HelperTimeoutError(
        `faultline's helper container "${name}" in pod ${namespace}/${pod.pod} did not ${req.until === 'running' ? 'start' : 'start and finish'} within ${Math.round(timeoutMs / 1000)}s (${waitingText(last)}; image ${req.image}). ` +
          `Nothing was applied, and the helper does nothing if it starts later. Kubernetes never removes ephemeral containers, so it stays listed in the pod spec, inert.`,
      );
    }
    if (first === 'cancelled') throw new Error('cancelled');
    if (first.state === 'running' && req.settleMs) {
      await ctx.clock.sleep(req.settleMs).catch(() => undefined);
      const after = helperState(follower.current, name).state;
      if (after?.terminated) return { state: 'terminated', container: name, exitCode: after.terminated.exitCode, message: after.terminated.message };
    }
    return first;
  } finally {
    timer.abort();
    follower.stop();
  }
}
