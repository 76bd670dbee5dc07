// Ephemeral containers: the subresource's validation (no removal, no change), a start after a
// delay or never, and what the kubelet running faultline's helpers would do, read from their
// FAULTLINE_* environment.
import { RESOURCES } from './resources.js';
import type { SimOptions } from './cluster.js';
import { now, setReady } from './pod-shape.js';
import { invalid } from './status.js';
import type { Obj, Store } from './store.js';

const PODS = RESOURCES.find((r) => r.plural === 'pods')!;

export interface Impairment {
  container: string;
  env: Record<string, string>;
}

type Options = Required<Pick<SimOptions, 'ephemeralStartDelayMs' | 'ephemeralCompleteDelayMs' | 'readyDelayMs'>>;

export class EphemeralContainers {
  private readonly waiting: { namespace: string; pod: string; container: string }[] = [];
  private readonly held = new Map<string, Impairment>();
  /** When set, impairment helpers start, then exit with this code (a tc that is not permitted). */
  failure: { exitCode: number; message: string } | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: Options,
    private readonly after: (ms: number, fn: () => void) => void,
  ) {}

  impairment(namespace: string, name: string): Impairment | undefined {
    return this.held.get(`${namespace}/${name}`);
  }

  startWaiting(): void {
    for (const w of this.waiting.splice(0)) this.startEphemeral(w.namespace, w.pod, w.container);
  }


  /** Accept a new ephemeralContainers list for a pod, as the subresource does. */
  set(namespace: string, name: string, next: Obj[]): Obj {
    const pod = this.store.mustGet(PODS, namespace, name);
    const existing: Obj[] = pod.spec.ephemeralContainers ?? [];
    for (const old of existing) {
      const same = next.find((c) => c.name === old.name);
      if (!same) throw invalid(PODS, name, 'spec.ephemeralContainers', `Forbidden: existing ephemeral containers "${old.name}" may not be removed`);
      if (JSON.stringify(same) !== JSON.stringify(old)) throw invalid(PODS, name, 'spec.ephemeralContainers', `Forbidden: existing ephemeral containers "${old.name}" may not be changed`);
    }
    const added = next.filter((c) => !existing.some((o) => o.name === c.name));
    added.forEach((c, i) => {
      if (!c.name) throw invalid(PODS, name, `spec.ephemeralContainers[${existing.length + i}].name`, 'Required value');
      if (!c.image) throw invalid(PODS, name, `spec.ephemeralContainers[${existing.length + i}].image`, 'Required value');
      const tgt = c.targetContainerName;
      if (tgt && !(pod.spec.containers as Obj[]).some((k) => k.name === tgt)) throw invalid(PODS, name, `spec.ephemeralContainers[${existing.length + i}].targetContainerName`, `Not found: "${tgt}"`);
    });
    const updated = this.store.mutate(PODS, namespace, name, (p) => {
      p.spec.ephemeralContainers = next;
      p.status.ephemeralContainerStatuses = [
        ...(p.status.ephemeralContainerStatuses ?? []),
        ...added.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } })),
      ];
    })!;
    for (const c of added) {
      const delay = this.options.ephemeralStartDelayMs;
      if (delay === 'never') this.waiting.push({ namespace, pod: name, container: c.name });
      else this.after(delay, () => this.startEphemeral(namespace, name, c.name));
    }
    return updated;
  }

  private setEphemeralState(namespace: string, pod: string, container: string, state: Obj): void {
    this.store.mutate(PODS, namespace, pod, (p) => {
      const st = (p.status.ephemeralContainerStatuses as Obj[]).find((s) => s.name === container);
      if (st) st.state = state;
    });
  }

  private complete(namespace: string, pod: string, container: string, message?: string): void {
    this.setEphemeralState(namespace, pod, container, { terminated: { exitCode: 0, reason: 'Completed', ...(message ? { message } : {}), startedAt: now(), finishedAt: now() } });
  }

  /**
   * What the kubelet running faultline's helper would do, read from its FAULTLINE_* environment:
   * kill the target container, hold an impairment until restored (or FAULTLINE_DEADLINE), or
   * restore. A helper that starts after its FAULTLINE_START_BY does nothing, which is what makes a
   * late start harmless.
   */
  private startEphemeral(namespace: string, podName: string, container: string): void {
    const pod = this.store.get(PODS, namespace, podName);
    const spec = (pod?.spec.ephemeralContainers as Obj[] | undefined)?.find((c) => c.name === container);
    if (!pod || !spec) return;
    const env = Object.fromEntries(((spec.env ?? []) as Obj[]).map((e) => [e.name, String(e.value ?? '')]));
    const key = `${namespace}/${podName}`;
    this.setEphemeralState(namespace, podName, container, { running: { startedAt: now() } });
    const startBy = Number(env.FAULTLINE_START_BY);
    if (Number.isFinite(startBy) && startBy > 0 && Math.floor(Date.now() / 1000) > startBy) {
      this.complete(namespace, podName, container, 'started after FAULTLINE_START_BY; nothing done');
      return;
    }
    switch (env.FAULTLINE_ACTION) {
      case 'kill': {
        const target = spec.targetContainerName as string;
        this.store.mutate(PODS, namespace, podName, (p) => {
          const cs = (p.status.containerStatuses as Obj[]).find((s) => s.name === target);
          if (!cs) return;
          cs.lastState = { terminated: { exitCode: 137, reason: 'Error', finishedAt: now() } };
          cs.restartCount += 1;
          cs.ready = false;
          setReady(p, false);
        });
        this.after(this.options.readyDelayMs, () =>
          this.store.mutate(PODS, namespace, podName, (p) => {
            const cs = (p.status.containerStatuses as Obj[]).find((s) => s.name === target);
            if (cs) cs.ready = true;
            if ((p.status.containerStatuses as Obj[]).every((s) => s.ready)) setReady(p, true);
          }),
        );
        this.after(this.options.ephemeralCompleteDelayMs, () => this.complete(namespace, podName, container));
        return;
      }
      case 'impair': {
        const failure = this.failure;
        if (failure) {
          this.after(10, () => this.setEphemeralState(namespace, podName, container, { terminated: { exitCode: failure.exitCode, reason: 'Error', message: failure.message, finishedAt: now() } }));
          return;
        }
        this.held.set(key, { container, env });
        const deadline = Number(env.FAULTLINE_DEADLINE);
        if (Number.isFinite(deadline) && deadline > 0) {
          // The helper lifts its impairment by itself at the deadline.
          this.after(Math.max(0, deadline * 1000 - Date.now()), () => {
            if (this.held.get(key)?.container !== container) return;
            this.held.delete(key);
            this.complete(namespace, podName, container, 'deadline reached');
          });
        }
        return;
      }
      case 'restore': {
        const held = this.held.get(key);
        this.held.delete(key);
        if (held) this.complete(namespace, podName, held.container);
        this.after(this.options.ephemeralCompleteDelayMs, () => this.complete(namespace, podName, container));
        return;
      }
      default:
        return;
    }
  }
}
