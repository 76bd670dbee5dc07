// pod-failure, as Chaos Mesh does it (controllers/chaosimpl/podchaos/podfailure): every container
// of the pod is switched to a pause image, so the kubelet restarts it running nothing, and the
// original images are put back on revert. The originals are written on the pod itself, in the same
// atomic JSON patch that changes the images (annotation faultline.io/pod-failure), so a run that
// dies between the patch and its ledger record still leaves a way back that `faultline rollback`,
// `reap` and an operator with kubectl can find. Every patch carries `test` operations on the uid
// and on the images it expects, so it never acts on a pod re-created under the same name and never
// overwrites an image someone else changed in the meantime.
import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import type { RunContext } from '../../domain/context.js';
import type { Target } from '../../domain/model.js';
import type { RevertResult } from '../driver.js';
import { explainApiError, isConflict, isNotFound, statusCodeOf } from './api-errors.js';
import type { ClusterApi } from './cluster-api.js';
import { POD_FAILURE } from './labels.js';
import { PodFailureUndo } from './pod-failure-undo.js';
import { podFacts } from './pod-target.js';

/** What the annotation holds: the undo, and when a reaper may restore it without a ledger. */
const Mark = PodFailureUndo.omit({ namespace: true, pod: true, uid: true }).extend({ expiresAt: z.string() });
type Mark = z.output<typeof Mark>;

const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const ANNOTATION_PATH = `/metadata/annotations/${escape(POD_FAILURE)}`;

type Op = { op: 'test' | 'replace' | 'add' | 'remove'; path: string; value?: unknown };

/** The pod's mark, when it carries a readable one. */
export function podFailureMark(pod: V1Pod): Mark | undefined {
  const text = pod.metadata?.annotations?.[POD_FAILURE];
  if (text === undefined) return undefined;
  try {
    const r = Mark.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** A test-op failure (the pod changed between our read and our patch) answers 422 on a real API server. */
const raced = (err: unknown) => statusCodeOf(err) === 422 || isConflict(err);

async function readPod(api: ClusterApi, namespace: string, name: string): Promise<V1Pod | undefined> {
  return api.call({ verb: 'get', resource: 'pods', group: '', namespace, name }, () => api.core.readNamespacedPod({ name, namespace }), () => undefined);
}

async function patch(api: ClusterApi, namespace: string, name: string, ops: Op[]): Promise<'ok' | 'raced' | 'gone'> {
  try {
    await api.core.patchNamespacedPod({ name, namespace, body: ops }, jsonPatch);
    return 'ok';
  } catch (err) {
    if (isNotFound(err)) return 'gone';
    if (raced(err)) return 'raced';
    throw explainApiError(err, { verb: 'patch', resource: 'pods', group: '', namespace, name }, api.identity);
  }
}

/** Two attempts: a pod changed by its kubelet or controller between read and patch is read again once. */
const ATTEMPTS = 2;

export async function failPod(api: ClusterApi, t: Target, image: string, expiresAt: number, ctx: RunContext): Promise<PodFailureUndo | RevertResult> {
  const p = podFacts(t);
  for (let attempt = 1; ; attempt++) {
    const pod = await readPod(api, p.namespace, p.pod);
    if (!pod || pod.metadata?.deletionTimestamp) return { vanished: true, note: `pod ${t.name} was deleted before the fault reached it; nothing done` };
    const uid = pod.metadata?.uid ?? '';
    if (p.uid && uid !== p.uid) return { vanished: true, note: `pod ${t.name} was replaced by a new pod of the same name before the fault reached it; nothing done` };
    const existing = pod.metadata?.annotations?.[POD_FAILURE];
    if (existing !== undefined) {
      const by = podFailureMark(pod)?.runId;
      throw new Error(`pod ${t.name} already has its containers replaced by a pod-failure${by ? ` of run ${by}` : ''} (annotation ${POD_FAILURE}); revert that first (faultline rollback)`);
    }
    const containers = pod.spec?.containers ?? [];
    const images = Object.fromEntries(containers.filter((c) => c.image !== image).map((c) => [c.name, c.image ?? '']));
    const undo: PodFailureUndo = { namespace: p.namespace, pod: p.pod, uid, runId: ctx.runId, image, images };
    const mark = JSON.stringify({ runId: ctx.runId, image, images, expiresAt: new Date(expiresAt).toISOString() } satisfies Mark);
    const ops: Op[] = [{ op: 'test', path: '/metadata/uid', value: uid }];
    containers.forEach((c, i) => {
      if (!(c.name in images)) return;
      ops.push({ op: 'test', path: `/spec/containers/${i}/name`, value: c.name }, { op: 'test', path: `/spec/containers/${i}/image`, value: c.image }, { op: 'replace', path: `/spec/containers/${i}/image`, value: image });
    });
    ops.push(pod.metadata?.annotations ? { op: 'add', path: ANNOTATION_PATH, value: mark } : { op: 'add', path: '/metadata/annotations', value: { [POD_FAILURE]: mark } });
    const r = await patch(api, p.namespace, p.pod, ops);
    if (r === 'ok') return undo;
    if (r === 'gone') return { vanished: true, note: `pod ${t.name} was deleted before the fault reached it; nothing done` };
    if (attempt >= ATTEMPTS) throw new Error(`pod ${t.name} kept changing while its images were being replaced (${ATTEMPTS} attempts); nothing done`);
  }
}

/**
 * Puts the original images back. Idempotent: a container already on its original image is left,
 * and so is one whose image is neither the pause image nor the original (someone changed it during
 * the fault: theirs wins, and the note says so). A pod gone or replaced counts as reverted.
 */
export async function restorePod(api: ClusterApi, undo: PodFailureUndo): Promise<RevertResult> {
  const name = `${undo.namespace}/${undo.pod}`;
  for (let attempt = 1; ; attempt++) {
    const pod = await readPod(api, undo.namespace, undo.pod);
    if (!pod || (undo.uid && pod.metadata?.uid !== undo.uid)) return { vanished: true, note: `pod ${name} is gone (or was replaced); its containers went with it` };
    const ops: Op[] = [{ op: 'test', path: '/metadata/uid', value: pod.metadata?.uid }];
    const changed: string[] = [];
    (pod.spec?.containers ?? []).forEach((c, i) => {
      const original = undo.images[c.name];
      if (original === undefined || c.image === original) return;
      if (c.image !== undo.image) {
        changed.push(`container "${c.name}" now runs ${c.image}, set by someone else during the fault (not ${original}): left as it is`);
        return;
      }
      ops.push({ op: 'test', path: `/spec/containers/${i}/image`, value: c.image }, { op: 'replace', path: `/spec/containers/${i}/image`, value: original });
    });
    // Only this fault's mark: another pod-failure injected since our revert has its own way back.
    if (podFailureMark(pod)?.runId === undo.runId || (pod.metadata?.annotations?.[POD_FAILURE] !== undefined && !podFailureMark(pod))) {
      ops.push({ op: 'remove', path: ANNOTATION_PATH });
    }
    const note = changed.length > 0 ? `pod ${name}: ${changed.join('; ')}` : undefined;
    if (ops.length === 1) return note ? { note } : { note: `pod ${name} already runs its original images` };
    const r = await patch(api, undo.namespace, undo.pod, ops);
    if (r === 'gone') return { vanished: true, note: `pod ${name} is gone; its containers went with it` };
    if (r === 'ok') return note ? { note } : {};
    if (attempt >= ATTEMPTS) throw new Error(`pod ${name} kept changing while its original images were being put back (${ATTEMPTS} attempts); run faultline rollback again`);
  }
}

/** A leftover found on a pod (its mark), as the undo the revert plays. */
export function undoFromMark(pod: V1Pod): PodFailureUndo | undefined {
  const m = podFailureMark(pod);
  if (!m) return undefined;
  return { namespace: pod.metadata!.namespace!, pod: pod.metadata!.name!, uid: pod.metadata?.uid ?? '', runId: m.runId, image: m.image, images: m.images };
}
