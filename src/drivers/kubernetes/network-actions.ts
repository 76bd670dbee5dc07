// The NetworkActions port for Kubernetes: partitions through NetworkPolicy (partition.ts), latency,
// loss and bandwidth through an ephemeral helper with NET_ADMIN running tc/iptables in the pod's
// network namespace, removed on revert by a second, one-shot helper.
import type { RunContext } from '../../domain/context.js';
import type { JsonValue, Target } from '../../domain/model.js';
import type { Impairment, NetworkActions, RevertResult } from '../driver.js';
import type { ClusterApi } from './cluster-api.js';
import { HelperTimeoutError, runHelper } from './helper-container.js';
import { describeImpairment, impairScript, restoreScript, supportsImpairment } from './helper-scripts.js';
import { partitionPod, restorePartition, type PartitionUndo } from './partition.js';
import { podFacts } from './pod-target.js';

export interface NetworkSettings {
  helperImage: () => string;
  helperStartTimeoutMs: number;
  /** How long a running impairment helper is watched for an early exit. */
  helperSettleMs: number;
  /** Epoch ms after which what faultline leaves behind lifts itself or may be deleted. */
  expiresAt: (ctx: RunContext) => number;
}

interface ImpairUndo {
  type: 'impair';
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  deadline: number;
  vanished?: boolean;
}

export function networkActions(api: ClusterApi, settings: NetworkSettings): NetworkActions {
  return {
    describe(t, imp) {
      if (!supportsImpairment(imp)) return `${imp.kind} is not supported by the kubernetes driver`;
      return `${describeImpairment(imp)} in pod ${t.name}, by an ephemeral container (${settings.helperImage()}, NET_ADMIN)`;
    },

    async impair(t, imp: Impairment, ctx) {
      if (!supportsImpairment(imp)) throw new Error(`the kubernetes driver cannot apply a ${imp.kind} fault`);
      const p = podFacts(t);
      const deadline = settings.expiresAt(ctx);
      const out = await runHelper(
        api,
        p,
        { action: 'impair', image: settings.helperImage(), script: impairScript(imp), runId: ctx.runId, netAdmin: true, deadline, until: 'running', settleMs: settings.helperSettleMs, env: { FAULTLINE_IMPAIRMENT: JSON.stringify(imp) } },
        settings.helperStartTimeoutMs,
        ctx,
      );
      const undo: ImpairUndo = { type: 'impair', namespace: p.namespace, pod: p.pod, uid: p.uid, container: out.container, deadline };
      if (out.state === 'vanished') {
        ctx.log.warn(`${imp.kind}: pod ${t.name} vanished before the fault reached it; nothing done`);
        return { ...undo, vanished: true } as unknown as JsonValue;
      }
      if (out.state === 'terminated') {
        throw new Error(
          `the ${imp.kind} helper "${out.container}" in pod ${t.name} exited ${out.exitCode ?? '?'} instead of holding the impairment` +
            `${out.message ? `: ${out.message.trim().slice(0, 200)}` : ''} (does the image have tc and iptables, and does the namespace's Pod Security level allow NET_ADMIN?)`,
        );
      }
      return undo as unknown as JsonValue;
    },

    partition(t, peers, direction, ctx) {
      return partitionPod(api, t, peers, direction, settings.expiresAt(ctx), ctx);
    },

    async revert(t: Target, undoJson: JsonValue, ctx): Promise<RevertResult> {
      const undo = undoJson as unknown as PartitionUndo | ImpairUndo;
      if (undo.type === 'partition') return restorePartition(api, undo);
      if (undo.vanished) return { vanished: true };
      try {
        const out = await runHelper(
          api,
          { ...podFacts(t), namespace: undo.namespace, pod: undo.pod, uid: undo.uid },
          { action: 'restore', image: settings.helperImage(), script: restoreScript(), runId: ctx.runId, netAdmin: true, until: 'terminated' },
          settings.helperStartTimeoutMs,
          ctx,
        );
        if (out.state === 'vanished') return { vanished: true, note: `pod ${t.name} is gone, and its impairment with it` };
        if (out.exitCode !== 0) throw new Error(`the restore helper "${out.container}" in pod ${t.name} exited ${out.exitCode}`);
        return {};
      } catch (err) {
        const until = new Date(undo.deadline).toISOString();
        if (err instanceof HelperTimeoutError) throw new Error(`${err.message} The impairment in pod ${t.name} lifts itself at ${until}.`);
        throw new Error(`${(err as Error).message}; the impairment in pod ${t.name} lifts itself at ${until}`);
      }
    },
  };
}
