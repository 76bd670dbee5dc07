// The experiment file format (apiVersion faultline/v1, kind Experiment). Every field is documented
// beside its type, with its bounds and default; the JSON Schema in schema/ is generated from here.
import { z } from 'zod';
import { FAULT_PARAMS } from './fault-kinds/catalog.js';
import { Address, BRANCH_MARKER, Duration, Name, Percent, keyed } from './schema-helpers.js';
import { Workload } from './workload.js';
import { parseJsonPath } from './json-path.js';

const d = (text: string) => ({ description: text });

// ---------------------------------------------------------------- services and links (process driver)

export const ReadyCheck = z
  .strictObject({
    tcp: Address.optional().meta(d('Ready when a TCP connection to host:port succeeds.')),
    http: z.url().optional().meta(d('Ready when a GET of this URL answers 2xx.')),
    timeout: Duration.default(10_000).meta(d('How long to wait for readiness before the run is aborted. Default 10s.')),
  })
  .refine((r) => r.tcp !== undefined || r.http !== undefined, 'a ready check needs "tcp" or "http"');

export const StartedService = z.strictObject({
  command: z.array(z.string().min(1)).min(1).meta(d('Program and arguments; the program is looked up on PATH. Relative paths in arguments are resolved by the program itself, from `cwd`.')),
  cwd: z.string().optional().meta(d("Working directory, relative to the experiment file's directory. Default: that directory.")),
  env: z.record(z.string(), z.string()).optional().meta(d('Extra environment variables. "${env:NAME}" copies one from faultline\'s environment and is redacted in the journal.')),
  restart: z.enum(['always', 'on-failure', 'never']).default('never').meta(d('What the supervisor does when the process exits. Default never.')),
  restartDelay: Duration.default(100).meta(d('Pause before a restart. Default 100ms.')),
  ready: ReadyCheck.optional().meta(d('How faultline knows the service is up, at start and after restarts.')),
  stopTimeout: Duration.default(3000).meta(d('Grace period between SIGTERM and SIGKILL when faultline stops the service. Default 3s.')),
});

// A server faultline reaches only through a link (a database, a third-party API): a shape of its
// own rather than optional fields on a started service, so that nothing that starts, signals or
// supervises a process can be handed one by mistake, and a file cannot half-declare both.
export const ExternalService = z.strictObject({
  external: z.literal(true).meta(d('Not started, stopped or supervised by faultline: a server already running elsewhere, reached through a link whose `upstream` is its address. Only faults that act through links (latency, bandwidth, loss, timeout, partition) may target it.')),
});

export const Service = z.union([StartedService, ExternalService], {
  // Explain the form the user evidently meant (by `external`), so a misspelt key of a started
  // service still gets "did you mean" instead of a list of both forms.
  error: (iss) => {
    const input = iss.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'expected a service object: {command: [...]} for one faultline starts, or {external: true} for one it only reaches through a link';
    // Both named: the started form's errors say "external" cannot be combined with "command".
    return `${BRANCH_MARKER}${'external' in input && !('command' in input) ? 1 : 0}`;
  },
});

export const Link = z.strictObject({
  from: Name.optional().meta(d('The service on the client side. Omit for clients outside the experiment (probes, users).')),
  to: Name.meta(d('The service on the server side.')),
  listen: Address.meta(d('Where the fault proxy listens; point the client here.')),
  upstream: Address.meta(d('Where the proxy forwards to: the real address of `to`.')),
});

// ---------------------------------------------------------------- targets

const Expression = z.strictObject({
  key: z.string().min(1),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
});

export const Selector = z
  .strictObject({
    names: z.array(z.string().min(1)).min(1).optional().meta(d('Exact names: process services, Docker container names, pod names.')),
    name: z.string().min(1).optional().meta(d('Docker: a container name, exact, or a regular expression written /like-this/.')),
    labels: z.record(z.string(), z.string()).optional().meta(d('Labels that must all match (Docker labels, Kubernetes labels).')),
    compose: z.strictObject({ project: z.string().optional(), service: z.string().optional() }).optional().meta(d('Docker Compose project and/or service.')),
    network: z.string().min(1).optional().meta(d('Docker: every container attached to this network (the "switch").')),
    namespaces: z.array(z.string().min(1)).min(1).optional().meta(d('Kubernetes namespaces to search. Default: the context namespace.')),
    allNamespaces: z.boolean().optional().meta(d('Kubernetes: search every namespace. Must be said explicitly.')),
    expressions: z.array(Expression).optional().meta(d('Kubernetes set-based label expressions.')),
    fields: z.record(z.string(), z.string()).optional().meta(d('Kubernetes field selectors, e.g. {"status.phase": "Running"}.')),
    owner: z.strictObject({ kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']), name: z.string().min(1) }).optional().meta(d('Kubernetes: all pods of this workload.')),
    node: z.string().min(1).optional().meta(d('Kubernetes: pods on this node.')),
  })
  .refine((s) => Object.values(s).some((v) => v !== undefined), 'a selector needs at least one criterion (names, name, labels, compose, network, namespaces, owner, node ...)');

export const Pick = z
  .union([
    z.literal('all'),
    z.strictObject({ count: z.int().min(1).meta(d('Exactly N victims, chosen at random (seeded).')) }),
    z.strictObject({ percent: Percent.refine((p) => p > 0, 'percent must be above 0%').meta(d('This share of the candidates, rounded up, at least one.')) }),
  ])
  .default('all');

// ---------------------------------------------------------------- probes

const HttpProbe = z.strictObject({
  url: z.url({ error: 'expected an absolute URL, e.g. "http://127.0.0.1:7001/health"' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']).default('GET'),
  headers: z.record(z.string(), z.string()).optional().meta(d('Request headers. Values written "${env:NAME}" are read from the environment and never recorded.')),
  body: z.string().optional(),
  expect: z
    .strictObject({
      status: z.union([z.int().min(100).max(599), z.array(z.int().min(100).max(599)).min(1)]).optional().meta(d('Accepted status code(s). Default: any 2xx.')),
      body: z.string().optional().meta(d('A regular expression the response body must match.')),
      json: z
        .strictObject({
          path: z
            .string()
            .superRefine((p, ctx) => {
              const r = parseJsonPath(p);
              if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
            })
            .meta(d("Where in the JSON body: $ followed by .name, ['name'] or [index], e.g. $.replicas[0].state.")),
          equals: z.json().optional().meta(d('The value found there must be exactly this (deep equality).')),
          count: z.int().min(0).optional().meta(d('The path must select exactly this many values: 0 (absent) or 1. Default: at least one.')),
        })
        .optional()
        .meta(d('A check of the body parsed as JSON (within its first 64 KiB): the value at path exists, or equals a value.')),
    })
    .default({}),
  connection: z
    .enum(['fresh', 'keep-alive'])
    .default('fresh')
    .meta(d('fresh (default): a new TCP connection per sample, so a sample sees what a new client sees: a refused or reset connection, a full accept queue, a per-connection loss. keep-alive: one reused connection (reopened when it breaks), less CPU per sample; a broken connection still fails the sample, but a fault that decides per new connection (loss on a link) is only met when the connection is reopened, and a sample started while the previous one is still in flight waits for the connection.')),
});

const TcpProbe = z.strictObject({ address: Address });

const ExecProbe = z.strictObject({
  command: z.array(z.string().min(1)).min(1),
  exitCode: z.int().default(0).meta(d('Expected exit code. Default 0.')),
  stdout: z.string().optional().meta(d('A regular expression standard output must match.')),
  target: Name.optional().meta(d('Docker/Kubernetes: run inside the (single) container or pod of this target. Default: on the host.')),
});

const DockerHealthProbe = z.strictObject({ container: z.string().min(1).meta(d('Container name or id whose HEALTHCHECK status must be healthy.')) });

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

const K8sReadyProbe = z
  .strictObject({
    kind: z.enum(['Deployment', 'StatefulSet', 'Pod']),
    name: z.string().min(1).optional().meta(d('The Deployment, StatefulSet or Pod. Exactly one of name and labels.')),
    labels: z
      .record(z.string(), z.string())
      .optional()
      .meta(d('kind Pod: the pods these labels select in the namespace, instead of one by name. They pass when there is at least one (or exactly count) and each is Ready (or in phase).')),
    phase: z.enum(POD_PHASES).optional().meta(d('With labels: every selected pod must be in this phase (status.phase, as Chaos Toolkit\'s pods_in_phase checks it) instead of Ready.')),
    count: z.int().min(0).optional().meta(d('With labels: exactly this many pods must be selected. Default: at least one.')),
    namespace: z.string().min(1).optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.name === undefined) === (p.labels === undefined)) ctx.addIssue({ code: 'custom', path: p.name === undefined ? [] : ['labels'], message: 'give exactly one of name (one object) and labels (kind Pod: the pods they select)' });
    if (p.labels !== undefined && p.kind !== 'Pod') ctx.addIssue({ code: 'custom', path: ['labels'], message: `labels select pods: use kind Pod (a ${p.kind} is named)` });
    for (const key of ['phase', 'count'] as const) {
      if (p[key] !== undefined && p.labels === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies to the pods labels select: add labels, or remove ${key}` });
    }
  });

export const PROBE_KINDS = { http: HttpProbe, tcp: TcpProbe, exec: ExecProbe, 'docker-health': DockerHealthProbe, 'k8s-ready': K8sReadyProbe };
export const PROBE_COMMON = {
  every: Duration.refine((ms) => ms >= 10, 'a probe interval must be at least 10ms').default(1000).meta(d('Sampling interval. Default 1s, at least 10ms.')),
  timeout: Duration.refine((ms) => ms > 0, 'a timeout must be above 0').default(1000).meta(d('A sample that takes longer fails. Default 1s.')),
};
export const Probe = keyed('probe', PROBE_KINDS, PROBE_COMMON);
/** A `where` condition on a target's candidates: the same probe kinds, run against each candidate. */
export const WhereProbe = keyed('probe', { exec: ExecProbe.omit({ target: true }), http: HttpProbe.omit({ connection: true }) }, { timeout: PROBE_COMMON.timeout });

export const Target = z.strictObject({
  selector: Selector,
  pick: Pick.meta(d('How many of the candidates become victims: "all", {count: N} or {percent: P}. Default all.')),
  where: WhereProbe.optional().meta(d('Keep only candidates for which this probe passes when run against them (e.g. the current primary).')),
});

// ---------------------------------------------------------------- faults

export { FAULT_KINDS, FAULT_PARAMS, INSTANT_FAULTS, type FaultKind, type FaultParams } from './fault-kinds/catalog.js';

export const FAULT_COMMON = {
  name: Name.optional().meta(d('A name for the journal and for recovery.after. Default: "<kind>-<index>".')),
  at: Duration.default(0).meta(d('When to inject, from the start of the fault phase. Default 0s.')),
  for: Duration.refine((ms) => ms > 0, '"for" must be above 0').optional().meta(d('How long the fault is held before it is reverted. Required for every fault that is not instant.')),
};
export const Fault = keyed('fault', FAULT_PARAMS, FAULT_COMMON);

// ---------------------------------------------------------------- objectives, abort, safety

const probeRef = Name.meta(d('A probe from spec.probes.'));
const workloadRef = Name.meta(d('A workload from spec.workloads.'));
const Percentiles = { p50: Duration.optional(), p90: Duration.optional(), p95: Duration.optional(), p99: Duration.optional(), p999: Duration.optional(), max: Duration.optional() };
/** The phases of a run a workload objective can be judged over (see PhaseName in history.ts). */
export const During = z
  .enum(['baseline', 'fault', 'recovery', 'run'], { error: (iss) => `expected a phase: baseline, fault, recovery or run (found ${JSON.stringify(iss.input)})` })
  .meta(d('baseline: steady state until the first injection; fault: first injection to last revert; recovery: after the last revert; run: all of it.'));

export const OBJECTIVE_KINDS = {
  recovery: z.strictObject({
    probe: probeRef,
    within: Duration.meta(d('Maximum time from the reference instant to recovery.')),
    after: Name.optional().meta(d('The fault whose instant is the reference: its injection for an instant fault, its revert otherwise. Default: the last one.')),
    consecutive: z.int().min(1).max(1000).default(3).meta(d('Passing samples in a row that count as recovered. Default 3.')),
  }),
  availability: z.strictObject({ probe: probeRef, atLeast: Percent.meta(d('Minimum share of passing samples from the first injection to the end of observation.')) }),
  latency: z
    .strictObject({
      probe: probeRef.optional().meta(d('A probe from spec.probes: percentiles of its successful samples from the first injection to the end of observation. Exactly one of probe or workload.')),
      workload: workloadRef.optional().meta(d('A workload from spec.workloads: percentiles of its operations, measured from their scheduled start. Exactly one of probe or workload.')),
      during: During.optional().meta(d('With workload only: the phase judged. Default run.')),
      ...Percentiles,
    })
    .superRefine((o, ctx) => {
      if ((o.probe === undefined) === (o.workload === undefined)) {
        ctx.addIssue({ code: 'custom', message: o.probe === undefined ? 'a latency objective needs "probe" or "workload"' : 'a latency objective takes "probe" or "workload", not both', path: o.probe === undefined ? [] : ['workload'] });
      }
      if (o.during !== undefined && o.workload === undefined) ctx.addIssue({ code: 'custom', message: '"during" is only for a workload latency objective (probe latency is measured from the first injection to the end of observation)', path: ['during'] });
    })
    .refine((o) => ['p50', 'p90', 'p95', 'p99', 'p999', 'max'].some((k) => o[k as keyof typeof o] !== undefined), 'a latency objective needs at least one of p50, p90, p95, p99, p999, max'),
  durability: z.strictObject({
    workload: workloadRef,
    lostAtMost: z.int().min(0).default(0).meta(d('Most acknowledged writes that may be missing when read back after the run. Default 0.')),
  }),
  rpo: z.strictObject({
    workload: workloadRef,
    atMost: Duration.meta(d('Longest span of time whose acknowledged writes may be lost: last lost acknowledgement minus the first.')),
  }),
  errorRate: z.strictObject({
    workload: workloadRef,
    atMost: Percent.meta(d('Highest share of operations that fail, time out (unknown) or are dropped.')),
    during: During.default('run').meta(d('The phase judged. Default run.')),
  }),
  count: z
    .strictObject({
      name: Name.optional().meta(d('Names the count in the journal and reports. Default "<target>-count"; needed when two counts watch one target.')),
      target: Name.meta(d("A target from spec.targets: its selector is re-run at every sampling instant (its own `where` and `pick` are not applied), so a replaced container or pod is counted too.")),
      where: WhereProbe.meta(d('The condition counted: run against every target of the group at each instant, e.g. {exec: {command: [redis-cli, role], stdout: "^master"}}.')),
      atMost: z.int().min(0).optional().meta(d('At most this many targets may satisfy `where` at any instant (e.g. 1: no split brain).')),
      atLeast: z.int().min(0).optional().meta(d('At least this many targets must satisfy `where` at every instant.')),
      exactly: z.int().min(0).optional().meta(d('Exactly this many targets must satisfy `where` at every instant.')),
      every: Duration.refine((ms) => ms >= 10, 'a count interval must be at least 10ms').default(1000).meta(d('Sampling interval. Default 1s.')),
    })
    .refine((o) => o.atMost !== undefined || o.atLeast !== undefined || o.exactly !== undefined, 'a count objective needs "atMost", "atLeast" or "exactly"')
    .refine((o) => o.exactly === undefined || (o.atMost === undefined && o.atLeast === undefined), { message: '"exactly" cannot be combined with "atMost" or "atLeast"', path: ['exactly'] })
    .refine((o) => o.atMost === undefined || o.atLeast === undefined || o.atLeast <= o.atMost, { message: '"atLeast" is above "atMost": no count can satisfy both', path: ['atLeast'] }),
  detection: z
    .strictObject({
      by: z.enum(['alert', 'human']).optional().meta(d('Who is to notice: "alert" (the default), the team\'s alerting, read from an observer; "human", a person in the room, marked with Detected in the live console\'s logbook (`run --console`, `gameday`).')),
      observer: Name.optional().meta(d('An observer from spec.observers. Required unless by: human.')),
      alert: z.string().min(1).optional().meta(d('The alert\'s name (its "alertname" label). Exactly one of alert or matchers.')),
      matchers: z.record(z.string().min(1), z.string()).optional().meta(d('Labels the alert must carry, all equal, e.g. {alertname: InstanceDown, job: kv}. Exactly one of alert or matchers.')),
      within: Duration.meta(d('Longest time from the first injection to the first moment the alert is seen firing (by: human, to the first Detected mark).')),
      resolvedWithin: Duration.optional().meta(d('Longest time from the last revert to the moment the alert is no longer firing. Default: not judged.')),
    })
    .superRefine((o, ctx) => {
      if (o.by === 'human') {
        // A person is not an observer: none of the alert's fields apply.
        for (const key of ['observer', 'alert', 'matchers', 'resolvedWithin'] as const) {
          if (o[key] !== undefined) ctx.addIssue({ code: 'custom', message: `"${key}" is for detection by an alert; a human detection takes only "within" (the first Detected mark after the first injection)`, path: [key] });
        }
        return;
      }
      if (o.observer === undefined) ctx.addIssue({ code: 'custom', message: 'a detection objective needs "observer" (an observer from spec.observers), or by: human for a Detected mark in the console', path: [] });
      if ((o.alert === undefined) === (o.matchers === undefined)) {
        ctx.addIssue({ code: 'custom', message: o.alert === undefined ? 'a detection objective needs "alert" or "matchers"' : 'a detection objective takes "alert" or "matchers", not both', path: o.alert === undefined ? [] : ['matchers'] });
      }
      if (o.matchers !== undefined && Object.keys(o.matchers).length === 0) ctx.addIssue({ code: 'custom', message: '"matchers" needs at least one label, e.g. {alertname: InstanceDown}', path: ['matchers'] });
    }),
};
export const Objective = keyed('objective', OBJECTIVE_KINDS, {});

// ---------------------------------------------------------------- observers

const ObserverUrl = z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL, e.g. "http://127.0.0.1:9093"' });
export const OBSERVER_KINDS = {
  alertmanager: ObserverUrl.meta(d("Alertmanager's base URL: its /api/v2/alerts is read; an alert counts as firing while its state is active.")),
  prometheus: ObserverUrl.meta(d("Prometheus's base URL: its /api/v1/alerts is read (state firing); `plan` checks its /api/v1/rules.")),
};
export const OBSERVER_COMMON = {
  every: Duration.refine((ms) => ms >= 100, 'an observer interval must be at least 100ms').default(1000).meta(d('How often the alerts are read, from steady state to the end of observation. Default 1s.')),
};
/** Where faultline reads the team's own signals: an Alertmanager or a Prometheus. */
export const Observer = keyed('observer', OBSERVER_KINDS, OBSERVER_COMMON);

export const AbortCondition = z.union([
  z.strictObject({ probe: probeRef, failingFor: Duration.meta(d('Abort when this probe has failed continuously for this long.')) }),
  z.strictObject({ objectiveMissed: z.literal(true).meta(d('Abort as soon as an objective can no longer be met.')) }),
]);

/** One hour: longer holds are refused unless the file raises safety.maxHold. */
export const DEFAULT_MAX_HOLD_MS = 3_600_000;

export const Safety = z.strictObject({
  maxTargets: z.int().min(1).optional().meta(d('Refuse to run if more victims than this are selected, over all targets.')),
  maxPercent: Percent.optional().meta(d('Refuse to run if any target would hit more than this share of its candidates.')),
  production: z.boolean().default(false).meta(d('Ask for confirmation before running (or require --yes).')),
  requireOptIn: z.string().optional().meta(d('A label (key or key=value) every victim must carry to be eligible.')),
  allowSystemNamespaces: z.boolean().default(false).meta(d('Kubernetes: allow kube-system and hostNetwork pods.')),
  maxHold: Duration.refine((ms) => ms > 0, '"maxHold" must be above 0').default(DEFAULT_MAX_HOLD_MS).meta(d('Refuse a fault held ("for") longer than this: "for: 48h" is more often a typo for 48s than a plan. Default 1h.')),
});

export const Observe = z.strictObject({
  steadyState: Duration.default(1000).meta(d('How long steady state is sampled before the first fault; every steady-state probe must pass at least once and never fail. Default 1s.')),
  recoveryWindow: Duration.optional().meta(d('How long to keep sampling after the last revert. Default: the longest recovery objective, or 10s.')),
  stopWhenRecovered: z.boolean().default(true).meta(d('End observation as soon as every steady-state probe has recovered and every count objective holds again (default). false: observe for the whole recovery window, e.g. so availability is measured over a fixed span after an instant fault.')),
});

export const DockerSettings = z.strictObject({
  host: z.string().optional().meta(d('Engine address; default DOCKER_HOST or /var/run/docker.sock.')),
  netns: z.enum(['auto', 'nsenter', 'helper']).default('auto').meta(d('How to enter a network namespace. Default auto: nsenter as root, else a helper container.')),
  helperImage: z.string().optional().meta(d('Image of the helper containers that enter network namespaces and of network faults\' holders (needs sh, iptables and tc). Default: FAULTLINE_DOCKER_HELPER_IMAGE, else nicolaka/netshoot.')),
  holderImage: z.string().optional().meta(d('Image of the holders that end pause, stop, cpu and switch outages through the engine\'s socket (needs sh and curl). Default: FAULTLINE_DOCKER_HOLDER_IMAGE, else nicolaka/netshoot.')),
});

export const KubernetesSettings = z.strictObject({
  context: z.string().optional(),
  namespace: z.string().optional(),
  helperImage: z.string().optional().meta(d('Image for ephemeral fault containers (needs iptables and tc).')),
});

export const ExperimentSpec = z.strictObject({
  driver: z.enum(['process', 'docker', 'kubernetes']).meta(d('Where targets live.')),
  seed: z.union([z.int(), z.string().min(1)]).optional().meta(d('Makes every random choice reproducible. Default: a fresh seed, recorded in the journal.')),
  services: z.record(Name, Service).optional().meta(d('Process driver: services faultline starts, supervises and stops, or external ones (`external: true`) it only reaches through links.')),
  links: z.record(Name, Link).optional().meta(d("Process driver: network paths through faultline's fault proxy.")),
  docker: DockerSettings.optional(),
  kubernetes: KubernetesSettings.optional(),
  targets: z.record(Name, Target).default({}),
  probes: z.record(Name, Probe).default({}),
  steadyState: z.array(probeRef).default([]).meta(d('Probes that must pass before any fault, and that define "recovered".')),
  observers: z.record(Name, Observer).default({}).meta(d('Where faultline reads the team\'s own alerts (Alertmanager or Prometheus), for detection objectives.')),
  workloads: z.record(Name, Workload).default({}).meta(d('Clients faultline drives for the whole run (steady state, faults, recovery), recording every operation in history.jsonl; read back at the end for durability.')),
  faults: z.array(Fault).min(1, 'an experiment needs at least one fault'),
  objectives: z.array(Objective).default([]),
  abort: z.array(AbortCondition).default([]),
  safety: Safety.default({ production: false, allowSystemNamespaces: false, maxHold: DEFAULT_MAX_HOLD_MS }),
  observe: Observe.default({ steadyState: 1000, stopWhenRecovered: true }),
});

export const Experiment = z.strictObject({
  $schema: z.string().optional().meta(d('Editor hint: the JSON Schema this file follows (schema/experiment.schema.json). Ignored by faultline.')),
  apiVersion: z.literal('faultline/v1', { error: (iss) => `expected apiVersion "faultline/v1" (found ${JSON.stringify(iss.input)})` }),
  kind: z.literal('Experiment', { error: (iss) => `expected kind "Experiment" (found ${JSON.stringify(iss.input)})` }),
  metadata: z.strictObject({
    name: Name,
    description: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: ExperimentSpec,
});

export type Experiment = z.output<typeof Experiment>;
export type ExperimentInput = z.input<typeof Experiment>;
export type ExperimentSpec = Experiment['spec'];
export type ServiceSpec = z.output<typeof Service>;
export type StartedServiceSpec = z.output<typeof StartedService>;
export type ExternalServiceSpec = z.output<typeof ExternalService>;

export function isExternal(service: ServiceSpec): service is ExternalServiceSpec {
  return 'external' in service;
}
export type LinkSpec = z.output<typeof Link>;
export type SelectorSpec = z.output<typeof Selector>;
export type PickSpec = z.output<typeof Pick>;
export type TargetSpec = z.output<typeof Target>;
export type ProbeSpec = z.output<typeof Probe>;
export type WhereSpec = z.output<typeof WhereProbe>;
export type FaultSpec = z.output<typeof Fault>;
export type ObjectiveSpec = z.output<typeof Objective>;
export type AbortSpec = z.output<typeof AbortCondition>;
export type ObserverSpec = z.output<typeof Observer>;
export type ObserverKind = keyof typeof OBSERVER_KINDS;
export type ProbeKind = keyof typeof PROBE_KINDS;
export type ProbeParams<K extends ProbeKind> = z.output<(typeof PROBE_KINDS)[K]>;
