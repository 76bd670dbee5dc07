// The simulated cluster's behaviour on top of the store: pod lifecycle (graceful deletion,
// readiness), workload controllers (Deployment -> ReplicaSet -> Pods, StatefulSet, DaemonSet) that
// re-create deleted pods after a delay, ephemeral containers that start after a delay (or never),
// RBAC denials, and seeding helpers for tests. Real timers are fine here: this is a test fixture.
import { randomBytes } from 'node:crypto';
import { RESOURCES, type ResourceType } from './resources.js';
import { Store, type Obj } from './store.js';
import { invalid, notFound, preconditionFailed } from './status.js';
import { defaultExecHandler, type ExecHandler } from './exec.js';
import { EphemeralContainers, type Impairment } from './ephemeral.js';
import { PodShape, isReady, now, podBody, setReady, suffix } from './pod-shape.js';

const R = (plural: string): ResourceType => RESOURCES.find((r) => r.plural === plural)!;
const PODS = R('pods');

export interface ForbidRule {
  /** get, list, watch, create, update, patch, delete, deletecollection; "*" for any. */
  verb: string;
  /** A plural ("pods") or plural/subresource ("pods/ephemeralcontainers"); "*" for any. */
  resource: string;
  namespace?: string;
  name?: string;
  /** A message of its own instead of the RBAC one, as an admission plugin (Pod Security) writes. */
  message?: string;
  /** "cluster": only cluster-wide requests (all-namespaces lists), as for a user with Roles but no ClusterRole. */
  scope?: 'cluster';
}

export interface ProxyRequest {
  namespace: string;
  pod: string;
  port: number;
  scheme: string;
  method: string;
  /** Path inside the pod, e.g. "/role". */
  path: string;
  /** "?a=1" or "". */
  query: string;
  body: string | undefined;
}

export type ProxyHandler = (req: ProxyRequest) => { status: number; body?: string; contentType?: string } | Promise<{ status: number; body?: string; contentType?: string }>;

export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface SimOptions {
  /** Delay before a controller re-creates a missing pod. Default 50ms. */
  recreateDelayMs?: number;
  /** Delay between a pod's creation and it becoming Ready. Default 50ms. */
  readyDelayMs?: number;
  /** How long a graceful delete keeps a pod Terminating (capped by its grace period). Default 0. */
  terminationDelayMs?: number;
  /** Delay before an ephemeral container runs; "never" leaves it waiting. Default 20ms. */
  ephemeralStartDelayMs?: number | 'never';
  /** How long a one-shot ephemeral container (kill, restore) runs before it completes. Default 10ms. */
  ephemeralCompleteDelayMs?: number;
  /** The user named in 403 messages. */
  user?: string;
  forbid?: ForbidRule[];
  /**
   * RBAC as a Role grants it: when set, only requests some rule allows get through (the others are
   * 403s), so a test can check that a Role is enough. Non-resource URLs (/version) are not checked.
   */
  rbac?: RbacRule[];
  /** Events kept for watches resuming from a resourceVersion. Default 10000. */
  historyLimit?: number;
}

export interface WorkloadSeed {
  namespace?: string;
  name: string;
  replicas: number;
  /** Selector labels, also put on every pod. Default {app: name}. */
  labels?: Record<string, string>;
  /** Extra pod labels beyond the selector labels. */
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  containers?: string[];
  /** Pods are spread round-robin over these nodes. Default ["node-1"]. */
  nodes?: string[];
  hostNetwork?: boolean;
  recreateDelayMs?: number;
  readyDelayMs?: number;
}

export interface PodSeed {
  namespace?: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  nodeName?: string;
  hostNetwork?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready?: boolean;
  containers?: string[];
  podIP?: string;
}

interface Controller {
  r: ResourceType;
  namespace: string;
  name: string;
  /** The owner pods point at: the ReplicaSet for a Deployment, the workload itself otherwise. */
  podOwner: { apiVersion: string; kind: string; name: string; uid: string };
  rsName?: string;
  pending: number;
  scheduled: boolean;
  nodes: string[];
  nextNode: number;
  recreateDelayMs: number;
  readyDelayMs: number;
}


export class SimCluster {
  readonly store: Store;
  readonly options: Required<Omit<SimOptions, 'forbid' | 'rbac'>>;
  /** The Role rules in force, when the simulator enforces an allow-list. */
  rbac: RbacRule[] | undefined;
  readonly forbidRules: ForbidRule[];
  /** Every pod deletion the API accepted, with the grace period it was asked for. */
  readonly deletions: { namespace: string; name: string; gracePeriodSeconds: number | undefined }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Map<string, Controller>();
  /** pod owner uid -> controller uid */
  private readonly ownerToController = new Map<string, string>();
  private readonly podsByOwner = new Map<string, Set<string>>();
  /** What a command run through pods/exec prints and returns; tests replace it. */
  execHandler: ExecHandler = defaultExecHandler;
  /** What a pod answers through pods/proxy; tests replace it. By default nothing listens. */
  proxyHandler: ProxyHandler = (req) => ({
    status: 503,
    contentType: 'application/json',
    body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `error trying to reach service: dial tcp 10.244.0.1:${req.port}: connect: connection refused`, reason: 'ServiceUnavailable', code: 503 }),
  });
  /** True while a seeding helper creates a workload it sets up itself. */
  private seeding = false;
  private closed = false;
  private readonly shape = new PodShape();
  private readonly ephemeral: EphemeralContainers;

  constructor(opts: SimOptions = {}) {
    this.options = {
      recreateDelayMs: opts.recreateDelayMs ?? 50,
      readyDelayMs: opts.readyDelayMs ?? 50,
      terminationDelayMs: opts.terminationDelayMs ?? 0,
      ephemeralStartDelayMs: opts.ephemeralStartDelayMs ?? 20,
      ephemeralCompleteDelayMs: opts.ephemeralCompleteDelayMs ?? 10,
      user: opts.user ?? 'system:serviceaccount:faultline:faultline',
      historyLimit: opts.historyLimit ?? 10_000,
    };
    this.forbidRules = [...(opts.forbid ?? [])];
    this.rbac = opts.rbac;
    this.store = new Store(this.options.historyLimit);
    this.store.onChange = (type, plural, obj) => this.react(type, plural, obj);
    this.ephemeral = new EphemeralContainers(this.store, this.options, (ms, fn) => this.after(ms, fn));
  }

  // ------------------------------------------------------------------ timers

  after(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  // ------------------------------------------------------------------ RBAC

  forbid(rule: ForbidRule): void {
    this.forbidRules.push(rule);
  }

  allow(): void {
    this.forbidRules.length = 0;
  }

  /** The rule that forbids this request, if any (an explicit rule, or no RBAC rule allowing it). */
  forbiddenBy(verb: string, plural: string, sub: string | undefined, namespace: string | undefined, name: string | undefined, group = ''): ForbidRule | undefined {
    const resource = sub ? `${plural}/${sub}` : plural;
    const allowed = (r: RbacRule) => r.apiGroups.some((g) => g === '*' || g === group) && r.resources.some((x) => x === '*' || x === resource) && r.verbs.some((v) => v === '*' || v === verb);
    if (this.rbac && !this.rbac.some(allowed)) return { verb, resource };
    return this.forbidRules.find(
      (r) =>
        (r.verb === '*' || r.verb === verb) &&
        (r.resource === '*' || r.resource === resource) &&
        (r.namespace === undefined || r.namespace === namespace) &&
        (r.scope !== 'cluster' || namespace === undefined) &&
        (r.name === undefined || r.name === name),
    );
  }

  // ------------------------------------------------------------------ seeding

  ensureNamespace(name: string, labels: Record<string, string> = {}): void {
    if (!this.store.get(R('namespaces'), undefined, name)) {
      this.store.create(R('namespaces'), undefined, { metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } }, spec: {}, status: { phase: 'Active' } });
    }
  }

  ensureNode(name: string): void {
    if (!this.store.get(R('nodes'), undefined, name)) {
      this.store.create(R('nodes'), undefined, { metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    }
  }

  addPod(seed: PodSeed): Obj {
    const ns = seed.namespace ?? 'default';
    this.ensureNamespace(ns);
    const node = seed.nodeName ?? 'node-1';
    this.ensureNode(node);
    const ready = seed.ready ?? true;
    const phase = seed.phase ?? 'Running';
    const body = podBody({
      name: seed.name,
      labels: seed.labels ?? {},
      annotations: seed.annotations,
      containers: seed.containers ?? ['main'],
      nodeName: node,
      hostNetwork: seed.hostNetwork ?? false,
    });
    body.status = this.shape.status(body, phase, ready, seed.podIP);
    return this.store.create(PODS, ns, body);
  }

  addDeployment(seed: WorkloadSeed): Obj {
    return this.addWorkload('deployments', seed);
  }

  addStatefulSet(seed: WorkloadSeed): Obj {
    return this.addWorkload('statefulsets', seed);
  }

  /** One pod per node. */
  addDaemonSet(seed: Omit<WorkloadSeed, 'replicas'>): Obj {
    return this.addWorkload('daemonsets', { ...seed, replicas: (seed.nodes ?? ['node-1']).length });
  }

  setHostNetwork(namespace: string, name: string, on = true): void {
    this.mustMutatePod(namespace, name, (p) => {
      p.spec.hostNetwork = on;
    });
  }

  setNode(namespace: string, name: string, node: string): void {
    this.ensureNode(node);
    this.mustMutatePod(namespace, name, (p) => {
      p.spec.nodeName = node;
    });
  }

  setLabels(namespace: string, name: string, labels: Record<string, string>): void {
    this.mustMutatePod(namespace, name, (p) => {
      p.metadata.labels = { ...(p.metadata.labels ?? {}), ...labels };
    });
  }

  /** Per-workload controller delays, changed at run time (e.g. to make recovery slow). */
  setDelays(kind: 'deployments' | 'statefulsets' | 'daemonsets', namespace: string, name: string, delays: { recreateDelayMs?: number; readyDelayMs?: number }): void {
    const w = this.store.mustGet(R(kind), namespace, name);
    const ctl = this.controllers.get(w.metadata.uid)!;
    Object.assign(ctl, Object.fromEntries(Object.entries(delays).filter(([, v]) => v !== undefined)));
  }

  pods(namespace?: string): Obj[] {
    return this.store.list(PODS, namespace).sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }

  pod(namespace: string, name: string): Obj | undefined {
    return this.store.get(PODS, namespace, name);
  }

  get(plural: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.store.get(R(plural), namespace, name);
  }

  list(plural: string, namespace?: string): Obj[] {
    return this.store.list(R(plural), namespace);
  }

  // ------------------------------------------------------------------ pod lifecycle

  /** A delete as the API server performs it; returns the pod as the DELETE response shows it. */
  deletePod(namespace: string, name: string, gracePeriodSeconds?: number, uidPrecondition?: string): Obj {
    const pod = this.store.mustGet(PODS, namespace, name);
    if (uidPrecondition && uidPrecondition !== pod.metadata.uid) {
      throw preconditionFailed(PODS, name, uidPrecondition, pod.metadata.uid);
    }
    this.deletions.push({ namespace, name, gracePeriodSeconds });
    if (pod.metadata.deletionTimestamp) return pod;
    const grace = gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const holdMs = Math.min(grace * 1000, this.options.terminationDelayMs);
    if (holdMs <= 0) return this.store.remove(PODS, namespace, name);
    const terminating = this.store.mutate(PODS, namespace, name, (p) => {
      p.metadata.deletionTimestamp = now();
      p.metadata.deletionGracePeriodSeconds = grace;
      setReady(p, false);
    })!;
    this.after(holdMs, () => {
      if (this.store.get(PODS, namespace, name)?.metadata.uid === pod.metadata.uid) this.store.remove(PODS, namespace, name);
    });
    return terminating;
  }

  /**
   * A pod update the API server accepts: labels, annotations and container images. A container
   * whose image changed is restarted by the kubelet with the new one; it turns ready after the
   * pod's ready delay, except on a pause image (`.../pause:tag`), which serves nothing, so its
   * readiness probe never passes (what Chaos Mesh's and faultline's pod-failure rely on).
   */
  updatePod(namespace: string, name: string, next: { labels?: Record<string, string>; annotations?: Record<string, string>; images: Record<string, unknown> }, expectRv?: string): Obj {
    const cur = this.store.mustGet(PODS, namespace, name);
    for (const [c, image] of Object.entries(next.images)) {
      if (typeof image !== 'string' || image === '') throw invalid(PODS, name, `spec.containers[${c}].image`, 'Required value');
    }
    const changed = (cur.spec.containers as Obj[]).filter((c) => next.images[c.name] !== c.image).map((c) => c.name as string);
    const spec = { ...cur.spec, containers: (cur.spec.containers as Obj[]).map((c) => ({ ...c, image: next.images[c.name] })) };
    const updated = this.store.replace(PODS, namespace, name, { ...cur, metadata: { ...cur.metadata, labels: next.labels, annotations: next.annotations }, spec }, expectRv);
    if (changed.length === 0) return updated;
    const uid = cur.metadata.uid;
    const restarted = this.store.mutate(PODS, namespace, name, (p) => {
      for (const cs of (p.status?.containerStatuses ?? []) as Obj[]) {
        if (!changed.includes(cs.name)) continue;
        cs.image = next.images[cs.name];
        cs.lastState = { terminated: { exitCode: 0, reason: 'Completed', finishedAt: now() } };
        cs.restartCount += 1;
        cs.state = { running: { startedAt: now() } };
      }
      setReady(p, false);
    })!;
    const delay = this.controllerOf(cur)?.readyDelayMs ?? this.options.readyDelayMs;
    this.after(delay, () =>
      this.store.mutate(PODS, namespace, name, (p) => {
        if (p.metadata.uid !== uid || p.metadata.deletionTimestamp) return;
        const statuses = (p.status?.containerStatuses ?? []) as Obj[];
        for (const cs of statuses) cs.ready = !isPauseImage(String(cs.image));
        setReady(p, statuses.every((cs) => cs.ready));
      }),
    );
    return restarted;
  }

  private controllerOf(pod: Obj): Controller | undefined {
    const owner = (pod.metadata.ownerReferences as Obj[] | undefined)?.[0]?.uid;
    const ctl = owner ? this.ownerToController.get(owner) : undefined;
    return ctl ? this.controllers.get(ctl) : undefined;
  }

  private mustMutatePod(namespace: string, name: string, fn: (p: Obj) => void): void {
    if (!this.store.mutate(PODS, namespace, name, fn)) throw notFound(PODS, name);
  }

  // ------------------------------------------------------------------ controllers

  private addWorkload(plural: 'deployments' | 'statefulsets' | 'daemonsets', seed: WorkloadSeed): Obj {
    const ns = seed.namespace ?? 'default';
    this.ensureNamespace(ns);
    const nodes = seed.nodes ?? ['node-1'];
    nodes.forEach((n) => this.ensureNode(n));
    const selector = seed.labels ?? { app: seed.name };
    const template = {
      metadata: { labels: { ...selector, ...(seed.podLabels ?? {}) }, ...(seed.podAnnotations ? { annotations: seed.podAnnotations } : {}) },
      spec: { containers: (seed.containers ?? ['main']).map((c) => ({ name: c, image: `registry.example/${c}:1.0` })), hostNetwork: seed.hostNetwork ?? false },
    };
    const r = R(plural);
    this.seeding = true;
    let w: Obj;
    try {
      w = this.store.create(r, ns, {
      metadata: { name: seed.name, labels: selector },
      spec: { ...(plural === 'daemonsets' ? {} : { replicas: seed.replicas }), selector: { matchLabels: selector }, template, ...(plural === 'statefulsets' ? { serviceName: seed.name } : {}) },
      status: {},
      });
    } finally {
      this.seeding = false;
    }
    const ctl = this.adopt(r, w, nodes, { recreateDelayMs: seed.recreateDelayMs, readyDelayMs: seed.readyDelayMs });
    // Seeded workloads start in their steady state: all pods Running and Ready.
    for (let i = 0; i < seed.replicas; i++) this.createPod(ctl, true);
    this.updateStatus(ctl);
    return this.store.get(r, ns, seed.name)!;
  }

  /** Puts a workload under a controller (a Deployment gets its ReplicaSet first). */
  private adopt(r: ResourceType, w: Obj, nodes: string[], delays: { recreateDelayMs?: number | undefined; readyDelayMs?: number | undefined }): Controller {
    const ns = w.metadata.namespace as string;
    const name = w.metadata.name as string;
    const selector = w.spec.selector?.matchLabels ?? {};
    let podOwner = { apiVersion: 'apps/v1', kind: r.kind, name, uid: w.metadata.uid as string };
    let rsName: string | undefined;
    if (r.plural === 'deployments') {
      rsName = `${name}-${randomBytes(5).toString('hex').slice(0, 9)}`;
      const rs = this.store.create(R('replicasets'), ns, {
        metadata: { name: rsName, labels: selector, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: w.metadata.uid, controller: true, blockOwnerDeletion: true }] },
        spec: { replicas: w.spec.replicas ?? 1, selector: { matchLabels: selector }, template: w.spec.template },
        status: { replicas: 0 },
      });
      podOwner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid };
    }
    const ctl: Controller = {
      r, namespace: ns, name, podOwner, rsName, pending: 0, scheduled: false, nodes, nextNode: 0,
      recreateDelayMs: delays.recreateDelayMs ?? this.options.recreateDelayMs,
      readyDelayMs: delays.readyDelayMs ?? this.options.readyDelayMs,
    };
    this.controllers.set(w.metadata.uid, ctl);
    this.ownerToController.set(podOwner.uid, w.metadata.uid);
    return ctl;
  }

  private workload(ctl: Controller): Obj | undefined {
    return this.store.get(ctl.r, ctl.namespace, ctl.name);
  }

  private ownedPods(ctl: Controller): Obj[] {
    const names = this.podsByOwner.get(ctl.podOwner.uid) ?? new Set<string>();
    return [...names].map((n) => this.store.get(PODS, ctl.namespace, n)).filter((p): p is Obj => p !== undefined);
  }

  private desired(ctl: Controller, w: Obj): number {
    return ctl.r.plural === 'daemonsets' ? ctl.nodes.length : (w.spec.replicas ?? 1);
  }

  private createPod(ctl: Controller, steady: boolean): void {
    const w = this.workload(ctl);
    if (!w) return;
    const owned = this.ownedPods(ctl);
    let name: string;
    let node: string;
    if (ctl.r.plural === 'statefulsets') {
      const taken = new Set(owned.map((p) => p.metadata.name));
      let i = 0;
      while (taken.has(`${ctl.name}-${i}`)) i++;
      name = `${ctl.name}-${i}`;
      node = ctl.nodes[i % ctl.nodes.length]!;
    } else if (ctl.r.plural === 'daemonsets') {
      const used = new Set(owned.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName));
      node = ctl.nodes.find((n) => !used.has(n)) ?? ctl.nodes[0]!;
      name = `${ctl.name}-${suffix()}`;
    } else {
      name = `${ctl.rsName}-${suffix()}`;
      node = ctl.nodes[ctl.nextNode++ % ctl.nodes.length]!;
    }
    const tpl = w.spec.template;
    const body = podBody({
      name,
      labels: tpl.metadata.labels,
      annotations: tpl.metadata.annotations,
      containers: (tpl.spec.containers as Obj[]).map((c) => c.name),
      nodeName: node,
      hostNetwork: tpl.spec.hostNetwork ?? false,
      owner: ctl.podOwner,
    });
    if (ctl.r.plural === 'statefulsets') body.metadata.labels = { ...body.metadata.labels, 'statefulset.kubernetes.io/pod-name': name };
    body.status = this.shape.status(body, steady ? 'Running' : 'Pending', steady);
    const pod = this.store.create(PODS, ctl.namespace, body);
    if (!steady) {
      this.after(ctl.readyDelayMs, () => {
        this.store.mutate(PODS, ctl.namespace, name, (p) => {
          if (p.metadata.uid !== pod.metadata.uid || p.metadata.deletionTimestamp) return;
          const st = this.shape.status(p, 'Running', true);
          p.status = { ...st, conditions: st.conditions };
        });
      });
    }
  }

  private react(type: string, plural: string, obj: Obj): void {
    if (type === 'ADDED' && !this.seeding && ['deployments', 'statefulsets', 'daemonsets'].includes(plural)) {
      // Created through the API: a controller takes it over and creates its pods from scratch.
      const nodes = this.store.list(R('nodes')).map((n) => n.metadata.name as string);
      if (nodes.length === 0) this.ensureNode('node-1');
      this.schedule(this.adopt(R(plural), obj, nodes.length ? nodes : ['node-1'], {}));
      return;
    }
    if (plural === 'namespaces' && type === 'DELETED') {
      // Namespace deletion takes everything in it along (workloads first, so nothing is re-created).
      const order = ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'pods', 'networkpolicies', 'leases'];
      for (const p of order) for (const o of this.store.list(R(p), obj.metadata.name)) if (this.store.get(R(p), obj.metadata.name, o.metadata.name)) this.store.remove(R(p), obj.metadata.name, o.metadata.name);
      return;
    }
    if (plural === 'pods') {
      const owner = (obj.metadata.ownerReferences as Obj[] | undefined)?.find((o) => o.controller);
      if (!owner) return;
      let set = this.podsByOwner.get(owner.uid);
      if (!set) this.podsByOwner.set(owner.uid, (set = new Set()));
      if (type === 'DELETED') set.delete(obj.metadata.name);
      else set.add(obj.metadata.name);
      const ctlUid = this.ownerToController.get(owner.uid);
      const ctl = ctlUid ? this.controllers.get(ctlUid) : undefined;
      if (ctl) this.schedule(ctl);
    } else if (this.controllers.has(obj.metadata?.uid)) {
      const ctl = this.controllers.get(obj.metadata.uid)!;
      if (type === 'DELETED') {
        this.controllers.delete(obj.metadata.uid);
        for (const p of this.ownedPods(ctl)) this.store.remove(PODS, ctl.namespace, p.metadata.name);
      } else this.schedule(ctl);
    }
  }

  private schedule(ctl: Controller): void {
    if (ctl.scheduled || this.closed) return;
    ctl.scheduled = true;
    setImmediate(() => {
      ctl.scheduled = false;
      if (!this.closed) this.reconcile(ctl);
    });
  }

  private reconcile(ctl: Controller): void {
    const w = this.workload(ctl);
    if (!w) return;
    const want = this.desired(ctl, w);
    const live = this.ownedPods(ctl).filter((p) => !p.metadata.deletionTimestamp);
    if (live.length > want) {
      const surplus = live.sort((a, b) => b.metadata.name.localeCompare(a.metadata.name, undefined, { numeric: true })).slice(0, live.length - want);
      for (const p of surplus) this.store.remove(PODS, ctl.namespace, p.metadata.name);
    }
    for (let missing = want - live.length - ctl.pending; missing > 0; missing--) {
      ctl.pending++;
      this.after(ctl.recreateDelayMs, () => {
        ctl.pending--;
        const cur = this.workload(ctl);
        if (!cur) return;
        const liveNow = this.ownedPods(ctl).filter((p) => !p.metadata.deletionTimestamp).length;
        if (liveNow >= this.desired(ctl, cur)) return;
        // A StatefulSet re-creates a pod under the same name, so it waits for the old one to be gone.
        if (ctl.r.plural === 'statefulsets' && this.ownedPods(ctl).length >= this.desired(ctl, cur)) return this.schedule(ctl);
        this.createPod(ctl, false);
      });
    }
    this.updateStatus(ctl);
  }

  private updateStatus(ctl: Controller): void {
    const live = this.ownedPods(ctl).filter((p) => !p.metadata.deletionTimestamp);
    const ready = live.filter(isReady).length;
    const w = this.workload(ctl);
    if (!w) return;
    const want = this.desired(ctl, w);
    this.store.mutate(ctl.r, ctl.namespace, ctl.name, (o) => {
      o.status =
        ctl.r.plural === 'daemonsets'
          ? { desiredNumberScheduled: want, currentNumberScheduled: live.length, numberReady: ready, numberAvailable: ready, updatedNumberScheduled: live.length, numberMisscheduled: 0, observedGeneration: o.metadata.generation }
          : {
              observedGeneration: o.metadata.generation,
              replicas: live.length,
              readyReplicas: ready,
              availableReplicas: ready,
              updatedReplicas: live.length,
              ...(ctl.r.plural === 'statefulsets' ? { currentReplicas: live.length } : {}),
              ...(ctl.r.plural === 'deployments'
                ? { conditions: [{ type: 'Available', status: ready >= want ? 'True' : 'False', reason: ready >= want ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' }] }
                : {}),
            };
    });
    if (ctl.rsName) {
      this.store.mutate(R('replicasets'), ctl.namespace, ctl.rsName, (rs) => {
        rs.spec.replicas = want;
        rs.status = { replicas: live.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation };
      });
    }
  }

  // ------------------------------------------------------------------ ephemeral containers

  /** Accept a new ephemeralContainers list for a pod, as the subresource does. */
  setEphemeralContainers(namespace: string, name: string, next: Obj[]): Obj {
    return this.ephemeral.set(namespace, name, next);
  }

  /** The impairment faultline's ephemeral container currently applies to a pod, if any. */
  impairment(namespace: string, name: string): Impairment | undefined {
    return this.ephemeral.impairment(namespace, name);
  }

  /** Starts every ephemeral container left waiting by `ephemeralStartDelayMs: "never"`. */
  startWaitingEphemeralContainers(): void {
    this.ephemeral.startWaiting();
  }

  /** When set, impairment helpers start, then exit with this code (a tc that is not permitted). */
  get helperFailure(): { exitCode: number; message: string } | undefined {
    return this.ephemeral.failure;
  }

  set helperFailure(f: { exitCode: number; message: string } | undefined) {
    this.ephemeral.failure = f;
  }
}

/** An image whose repository's last path segment is "pause": it runs and serves nothing. */
export function isPauseImage(image: string): boolean {
  return /(^|\/)pause(:[^/]*)?(@.*)?$/.test(image);
}
