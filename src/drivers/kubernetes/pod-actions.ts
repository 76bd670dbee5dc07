// pod-delete, pod-kill and container-kill on one pod. Deletes carry a uid precondition so a pod
// re-created under the same name (a StatefulSet's) is never hit in the victim's place; a victim
// that is already gone is reported as vanished, not as a failure.
import type { RunContext } from '../../domain/context.js';
import type { Target } from '../../domain/model.js';
import type { PodActions, RevertResult } from '../driver.js';
import { explainApiError, isConflict, isNotFound, statusOf } from './api-errors.js';
import type { ClusterApi } from './cluster-api.js';
import { runHelper } from './helper-container.js';
import { killScript } from './helper-scripts.js';
import { podFacts } from './pod-target.js';

export interface PodActionSettings {
  helperImage: () => string;
  helperStartTimeoutMs: number;
}

const vanished = (t: Target, what: string): RevertResult => ({ vanished: true, note: `pod ${t.name} ${what} before the fault reached it; nothing done` });

export function podActions(api: ClusterApi, settings: PodActionSettings): PodActions {
  return {
    async delete(t, gracePeriodMs) {
      const p = podFacts(t);
      const gracePeriodSeconds = gracePeriodMs === undefined ? undefined : Math.ceil(gracePeriodMs / 1000);
      const body = { ...(p.uid ? { preconditions: { uid: p.uid } } : {}), ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) };
      try {
        await api.core.deleteNamespacedPod({ name: p.pod, namespace: p.namespace, ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}), body });
        return {};
      } catch (err) {
        if (isNotFound(err)) return vanished(t, 'was deleted');
        if (isConflict(err) && /precondition/i.test(statusOf(err)?.message ?? '')) return vanished(t, 'was replaced by a new pod of the same name');
        throw explainApiError(err, { verb: 'delete', resource: 'pods', group: '', namespace: p.namespace, name: p.pod }, api.identity);
      }
    },

    async killContainer(t, container, signal, ctx: RunContext) {
      const p = podFacts(t);
      if (p.containers.length > 0 && !p.containers.includes(container)) {
        throw new Error(`pod ${t.name} has no container "${container}" (its containers: ${p.containers.join(', ')})`);
      }
      const out = await runHelper(
        api,
        p,
        { action: 'kill', image: settings.helperImage(), script: killScript(signal), runId: ctx.runId, targetContainer: container, netAdmin: false, until: 'terminated' },
        settings.helperStartTimeoutMs,
        ctx,
      );
      if (out.state === 'vanished') return vanished(t, 'disappeared');
      if (out.state === 'terminated' && out.exitCode !== 0) {
        throw new Error(`the kill helper "${out.container}" in pod ${t.name} exited ${out.exitCode}${out.message ? `: ${out.message.trim().slice(0, 200)}` : ''}`);
      }
      return {};
    },
  };
}
