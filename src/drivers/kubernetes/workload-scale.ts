// scale: set a Deployment's or StatefulSet's replicas through the scale subresource, remembering
// the original count in the undo record so revert (or `faultline rollback`) can put it back.
import type { JsonValue, Target } from '../../domain/model.js';
import type { WorkloadActions, WorkloadRef } from '../driver.js';
import type { ClusterApi } from './cluster-api.js';

interface ScaleUndo {
  kind: WorkloadRef['kind'];
  namespace: string;
  name: string;
  replicas: number;
}

export function workloadActions(api: ClusterApi, defaultNamespace: () => string): WorkloadActions {
  const ns = (ref: WorkloadRef) => ref.namespace ?? defaultNamespace();
  const op = (verb: string, kind: WorkloadRef['kind'], namespace: string, name: string) => ({ verb, resource: `${kind.toLowerCase()}s/scale`, group: 'apps', namespace, name });
  const read = (kind: WorkloadRef['kind'], namespace: string, name: string) =>
    kind === 'Deployment' ? api.apps.readNamespacedDeploymentScale({ name, namespace }) : api.apps.readNamespacedStatefulSetScale({ name, namespace });
  const write = (kind: WorkloadRef['kind'], namespace: string, name: string, replicas: number) => {
    const body = { metadata: { name, namespace }, spec: { replicas } };
    return kind === 'Deployment' ? api.apps.replaceNamespacedDeploymentScale({ name, namespace, body }) : api.apps.replaceNamespacedStatefulSetScale({ name, namespace, body });
  };

  return {
    target(ref): Target {
      const namespace = ns(ref);
      return { driver: 'kubernetes', group: `${ref.kind}/${ref.name}`, id: `${ref.kind.toLowerCase()}/${namespace}/${ref.name}`, name: `${ref.kind} ${namespace}/${ref.name}`, meta: { kind: ref.kind, namespace, workload: ref.name } };
    },

    async scale(ref, replicas) {
      const namespace = ns(ref);
      const current = await api.call(op('get', ref.kind, namespace, ref.name), () => read(ref.kind, namespace, ref.name));
      const original = current.spec?.replicas ?? 0;
      await api.call(op('update', ref.kind, namespace, ref.name), () => write(ref.kind, namespace, ref.name, replicas));
      const undo: ScaleUndo = { kind: ref.kind, namespace, name: ref.name, replicas: original };
      return undo as unknown as JsonValue;
    },

    async revert(undoJson) {
      const undo = undoJson as unknown as ScaleUndo;
      const done = await api.call(op('update', undo.kind, undo.namespace, undo.name), () => write(undo.kind, undo.namespace, undo.name, undo.replicas).then(() => true), () => false);
      return done ? {} : { vanished: true, note: `${undo.kind} ${undo.namespace}/${undo.name} no longer exists; nothing to scale back` };
    },
  };
}
