// The Driver port over the Kubernetes API. The KubeConfig is handed in (the CLI builds it with
// loadKubeConfig); everything else is built from it here, so tests point it at the simulator.
import type { KubeConfig } from '@kubernetes/client-node';
import type { RunContext } from '../../domain/context.js';
import type { Experiment, ProbeSpec, SelectorSpec, WhereSpec } from '../../domain/experiment.js';
import type { Target } from '../../domain/model.js';
import type { Driver, NetworkActions, PodActions, ProbeRunner, ReapReport, RevertResult, WorkloadActions } from '../driver.js';
import { bindFaults, type DriverFaults } from '../fault-handler.js';
import { CLUSTER_OBJECT_EXPIRY_MARGIN_MS } from './faults/handler.js';
import { KUBERNETES_FAULTS } from './faults/index.js';
import { explainApiError, statusCodeOf } from './api-errors.js';
import { ClusterApi } from './cluster-api.js';
import { networkActions } from './network-actions.js';
import { podActions } from './pod-actions.js';
import { failPod, restorePod } from './pod-failure.js';
import type { PodFailureUndo } from './pod-failure-undo.js';
import { PodsProbe } from './pods-probe.js';
import { ReadyProbe } from './ready-probe.js';
import { reapExpired, type ReapQuery, type ReapResult } from './reap.js';
import { describeLeftover, findLeftovers, rollback, type Leftover, type LeftoverQuery, type RollbackResult } from './rollback.js';
import { selectPods } from './select-pods.js';
import { podExecCheck, whereProbe } from './where-probe.js';
import { workloadActions } from './workload-scale.js';

/** Has tc, iptables and ip; overridable with spec.kubernetes.helperImage or the constructor. */
export const DEFAULT_HELPER_IMAGE = 'nicolaka/netshoot:v0.13';

export interface KubernetesDriverOptions {
  kubeConfig: KubeConfig;
  /** Wins over spec.kubernetes.namespace and the context's namespace. */
  namespace?: string;
  /** Wins over spec.kubernetes.helperImage. */
  helperImage?: string;
  /** How long an ephemeral helper may take to start. Default 60s. */
  helperStartTimeoutMs?: number;
  /** How long a started impairment helper is watched for an early exit (a failed tc). Default 1s. */
  helperSettleMs?: number;
}

export class KubernetesDriver implements Driver {
  readonly name = 'kubernetes' as const;
  readonly api: ClusterApi;
  readonly pods: PodActions;
  readonly workloads: WorkloadActions;
  readonly network: NetworkActions;
  readonly faults: DriverFaults = bindFaults('kubernetes', KUBERNETES_FAULTS, this);
  private experiment: Experiment | undefined;
  private readonly probes = new Set<ProbeRunner>();

  constructor(private readonly opts: KubernetesDriverOptions) {
    this.api = new ClusterApi(opts.kubeConfig);
    const helperStartTimeoutMs = opts.helperStartTimeoutMs ?? 60_000;
    const helperImage = () => this.helperImage;
    this.pods = podActions(this.api, { helperImage, helperStartTimeoutMs });
    this.workloads = workloadActions(this.api, () => this.namespace);
    this.network = networkActions(this.api, { helperImage, helperStartTimeoutMs, helperSettleMs: opts.helperSettleMs ?? 1000, expiresAt: (ctx) => this.objectExpiresAt(ctx) });
  }

  /** The namespace used when a selector, probe or workload names none. */
  get namespace(): string {
    return this.opts.namespace ?? this.experiment?.spec.kubernetes?.namespace ?? this.api.contextNamespace;
  }

  get helperImage(): string {
    return this.opts.helperImage ?? this.experiment?.spec.kubernetes?.helperImage ?? DEFAULT_HELPER_IMAGE;
  }

  /** pod-failure: its containers on `image`, the originals kept on the pod (pod-failure.ts). */
  failPod(t: Target, image: string, ctx: RunContext): Promise<PodFailureUndo | RevertResult> {
    return failPod(this.api, t, image, this.objectExpiresAt(ctx), ctx);
  }

  restorePod(undo: PodFailureUndo): Promise<RevertResult> {
    return restorePod(this.api, undo);
  }

  configure(experiment: Experiment): void {
    this.experiment = experiment;
  }

  async open(experiment: Experiment, _ctx: RunContext): Promise<void> {
    this.configure(experiment);
    try {
      await this.api.version.getCode();
    } catch (err) {
      throw explainApiError(err, { verb: 'get', resource: 'version', group: '' }, this.api.identity);
    }
  }

  candidates(selector: SelectorSpec, group: string, ctx: RunContext): Promise<Target[]> {
    const safety = this.experiment?.spec.safety;
    return selectPods(this.api, selector, group, { defaultNamespace: this.namespace, allowSystem: safety?.allowSystemNamespaces ?? false, ...(safety?.requireOptIn ? { requireOptIn: safety.requireOptIn } : {}) }, ctx);
  }

  where(where: WhereSpec, target: Target, ctx: RunContext) {
    return whereProbe(this.api, where, target, ctx);
  }

  probe(_name: string, spec: ProbeSpec, targets: ReadonlyMap<string, Target[]> = new Map()): ProbeRunner | undefined {
    if ('exec' in spec && spec.exec.target !== undefined) {
      // Inside the target's first victim pod; the generic exec probe runs on faultline's host.
      const group = spec.exec.target;
      const check = spec.exec;
      return {
        sample: async (ctx) => {
          const victim = targets.get(group)?.[0];
          if (!victim) return { t: ctx.clock.now(), ok: false, ms: 0, error: `target "${group}" has no victim to exec into` };
          return podExecCheck(this.api, victim, check, spec.timeout, ctx);
        },
      };
    }
    if (!('k8s-ready' in spec)) return undefined;
    const p = spec['k8s-ready'];
    const namespace = p.namespace ?? this.namespace;
    // The schema allows exactly one of name and labels.
    const runner = p.labels ? new PodsProbe(this.api, { ...p, labels: p.labels }, namespace, spec.timeout) : new ReadyProbe(this.api, { ...p, name: p.name! }, namespace, spec.timeout);
    this.probes.add(runner);
    return runner;
  }

  async close(_ctx: RunContext): Promise<void> {
    for (const p of this.probes) await p.close?.().catch(() => undefined);
    this.probes.clear();
  }

  /** What runs left behind (NetworkPolicies, running impairment helpers), found by faultline's labels. */
  leftovers(q: LeftoverQuery = {}): Promise<Leftover[]> {
    return findLeftovers(this.api, q);
  }

  /** Removes what `leftovers` finds: for `faultline rollback`. */
  rollback(q: LeftoverQuery, ctx: RunContext): Promise<RollbackResult> {
    return rollback(this.api, q, this.helperImage, this.opts.helperStartTimeoutMs ?? 60_000, ctx);
  }

  /**
   * Removes every faultline object whose expiry has passed, whatever run made it: for `faultline
   * reap` and the start of every run. Without cluster-wide list rights, searches `namespace` only.
   */
  reap(q: ReapQuery, ctx: RunContext): Promise<ReapResult> {
    return reapExpired(this.api, q, { image: this.helperImage, helperTimeoutMs: this.opts.helperStartTimeoutMs ?? 60_000, fallbackNamespace: this.namespace }, ctx);
  }

  /** Before every run: expired faultline objects in the namespaces the configured experiment uses. */
  async reapExpired(ctx: RunContext): Promise<ReapReport> {
    const namespaces = this.experimentNamespaces();
    const r = await this.reap(namespaces ? { namespaces } : {}, ctx);
    return {
      removed: r.removed.map((l) => `${describeLeftover(l)}: run ${l.runId ?? 'unknown'} left it, expired ${l.expiresAt}`),
      failed: r.failed.map((f) => `${describeLeftover(f.leftover)}: ${f.error}`),
      ...(r.note ? { note: r.note } : {}),
    };
  }

  readonly partitionCaveat =
    "the cluster's network plugin may not enforce NetworkPolicy (faultline's partition is a NetworkPolicy: Calico, Cilium, Antrea and recent kindnet enforce it, flannel alone does not)";

  /** The namespaces the configured experiment can touch, or undefined when that is every namespace. */
  experimentNamespaces(): string[] | undefined {
    return this.sweepNamespaces();
  }

  /**
   * Removes what run `runId` left (for `faultline rollback` and the watchdogs): searches the
   * experiment's namespaces when known, else every namespace, else (without cluster-wide list
   * rights) the context's namespace.
   */
  async sweep(runId: string, ctx: RunContext): Promise<string[]> {
    const namespaces = this.sweepNamespaces();
    let r: RollbackResult;
    try {
      r = await this.rollback({ runId, ...(namespaces ? { namespaces } : {}) }, ctx);
    } catch (err) {
      if (namespaces || statusCodeOf(err) !== 403) throw err;
      r = await this.rollback({ runId, namespaces: [this.namespace] }, ctx);
    }
    const lines = r.removed.map(describeLeftover);
    if (r.failed.length > 0) {
      throw new Error(`could not remove ${r.failed.map((f) => `${describeLeftover(f.leftover)}: ${f.error}`).join('; ')}${lines.length ? ` (removed: ${lines.join('; ')})` : ''}`);
    }
    return lines;
  }

  /** The namespaces the experiment can have touched, or undefined when that is every namespace. */
  private sweepNamespaces(): string[] | undefined {
    const spec = this.experiment?.spec;
    if (!spec) return undefined;
    const selectors = Object.values(spec.targets).map((t) => t.selector);
    if (selectors.some((s) => s.allNamespaces)) return undefined;
    const ns = new Set<string>([this.namespace]);
    for (const s of selectors) for (const n of s.namespaces ?? []) ns.add(n);
    for (const f of spec.faults) if ('scale' in f && f.scale.workload.namespace) ns.add(f.scale.workload.namespace);
    return [...ns].sort();
  }

  /** When what a fault leaves in the cluster (a policy, a helper, a pod-failure mark) may be removed by anyone: epoch ms. */
  private objectExpiresAt(ctx: RunContext): number {
    return ctx.clock.now() + this.holdLimitMs();
  }

  /** From now until the last fault of the experiment is due to be reverted, plus a margin. */
  private holdLimitMs(): number {
    const faults = this.experiment?.spec.faults ?? [];
    const end = Math.max(0, ...faults.map((f) => (f.at ?? 0) + (f.for ?? 0)));
    return end + CLUSTER_OBJECT_EXPIRY_MARGIN_MS;
  }
}
