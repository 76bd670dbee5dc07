// Python providers of the common Chaos Toolkit extensions that faultline has an equivalent for.
// Anything not in this table is not imported (named, with its line). Each entry says what it
// becomes and what of its arguments it could not keep.
import { isRecord } from './values.js';

export type Args = Record<string, unknown>;

export interface Mapped {
  /** A faultline fault (its kind and parameters; `at`/`name` are the caller's), or a probe. */
  fault?: Record<string, unknown>;
  probe?: Record<string, unknown>;
  /** Target groups the fault names. */
  targets?: Record<string, unknown>;
  /** The driver it needs; absent when any will do (a command on faultline's host). */
  driver?: 'kubernetes';
  /** A probe whose mapping judged the activity's tolerance itself. */
  judgesTolerance?: boolean;
  /** "→ pod-delete of ..." for the import's report. */
  text: string;
  notes: string[];
  /** Arguments that could not be kept, each with why. */
  gaps: { arg: string; text: string }[];
}

export type Mapping = (args: Args, name: string, tolerance: unknown) => Mapped | { unmapped: string };

/** "app=web,tier=front" as labels; undefined for set-based expressions ("app in (a,b)"), which need more than labels. */
function labelsOf(selector: unknown): Record<string, string> | undefined {
  if (typeof selector !== 'string' || selector.trim() === '') return undefined;
  const labels: Record<string, string> = {};
  for (const part of selector.split(',')) {
    const m = /^\s*([A-Za-z0-9./_-]+)\s*==?\s*([A-Za-z0-9._-]*)\s*$/.exec(part);
    if (!m) return undefined;
    labels[m[1]!] = m[2]!;
  }
  return labels;
}

/** chaosk8s's pod selection arguments as a target group; `ns` defaults to "default" there. */
function podTarget(args: Args, gaps: Mapped['gaps'], notes: string[]): Record<string, unknown> | undefined {
  const selector: Record<string, unknown> = {};
  const ns = typeof args.ns === 'string' ? args.ns : 'default';
  if (args.ns === undefined) notes.push('no ns: chaosk8s uses namespace "default", and so does the import');
  selector.namespaces = [ns];
  if (args.label_selector !== undefined) {
    const labels = labelsOf(args.label_selector);
    if (!labels) {
      gaps.push({ arg: 'label_selector', text: `label_selector ${JSON.stringify(args.label_selector)}: only "key=value,..." selectors are imported` });
      return undefined;
    }
    selector.labels = labels;
  }
  if (typeof args.name === 'string') selector.names = [args.name];
  if (args.name_pattern !== undefined) {
    gaps.push({ arg: 'name_pattern', text: `name_pattern ${JSON.stringify(args.name_pattern)}: faultline selects Kubernetes pods by exact name, labels or fields, not by a pattern` });
    return undefined;
  }
  if (selector.labels === undefined && selector.names === undefined) {
    gaps.push({ arg: 'label_selector', text: `no label_selector or name: chaosk8s would pick among every pod of ${ns}; faultline wants a narrower selector` });
    return undefined;
  }
  return { selector };
}

function graceOf(args: Args): { kind: 'pod-kill' | 'pod-delete'; gracePeriod?: string; text: string } {
  const g = args.grace_period === undefined ? -1 : Number(args.grace_period);
  if (g === 0) return { kind: 'pod-kill', text: 'pod-kill (grace period 0)' };
  if (g > 0) return { kind: 'pod-delete', gracePeriod: `${g}s`, text: `pod-delete (grace period ${g}s)` };
  return { kind: 'pod-delete', text: "pod-delete (the pod's own grace period)" };
}

const terminatePods: Mapping = (args, name) => {
  const gaps: Mapped['gaps'] = [];
  const notes: string[] = [];
  const target = podTarget(args, gaps, notes);
  if (!target) return { unmapped: gaps.map((g) => g.text).join('; ') };
  const qty = args.qty === undefined ? 1 : Number(args.qty);
  let pick: unknown;
  if (args.all === true) pick = 'all';
  else if (args.mode === 'percentage') pick = { percent: `${qty}%` };
  else pick = { count: qty };
  if (args.all !== true && args.rand !== true) notes.push('chaosk8s picks the first pods in name order unless rand is set; faultline picks at random (seeded, reproducible with --seed)');
  for (const key of Object.keys(args)) {
    if (!['label_selector', 'name_pattern', 'all', 'rand', 'mode', 'qty', 'grace_period', 'ns', 'order'].includes(key)) gaps.push({ arg: key, text: `argument ${key}: not a terminate_pods argument faultline knows` });
  }
  const g = graceOf(args);
  return {
    driver: 'kubernetes',
    fault: { [g.kind]: { target: name, ...(g.gracePeriod ? { gracePeriod: g.gracePeriod } : {}) } },
    targets: { [name]: { ...target, pick } },
    text: `fault ${g.text} of ${typeof pick === 'string' ? 'all' : JSON.stringify(pick)} pod(s) selected by ${JSON.stringify((target.selector as Args).labels ?? (target.selector as Args).names)}`,
    notes,
    gaps,
  };
};

const deletePods: Mapping = (args, name) => {
  const gaps: Mapped['gaps'] = [];
  const notes: string[] = [];
  const target = podTarget(args, gaps, notes);
  if (!target) return { unmapped: gaps.map((g) => g.text).join('; ') };
  for (const key of Object.keys(args)) if (!['name', 'ns', 'label_selector'].includes(key)) gaps.push({ arg: key, text: `argument ${key}: not a delete_pods argument faultline knows` });
  return {
    driver: 'kubernetes',
    fault: { 'pod-delete': { target: name } },
    targets: { [name]: { ...target, pick: 'all' } },
    text: `fault pod-delete of every pod selected by ${JSON.stringify((target.selector as Args).names ?? (target.selector as Args).labels)}`,
    notes,
    gaps,
  };
};

const deploymentReady: Mapping = (args) => {
  if (typeof args.name !== 'string') return { unmapped: 'it needs the Deployment name' };
  const notes: string[] = [];
  if (args.ns === undefined) notes.push('no ns: chaosk8s uses namespace "default", and so does the import');
  const gaps = Object.keys(args).filter((k) => !['name', 'ns'].includes(k)).map((k) => ({ arg: k, text: `argument ${k}: faultline's k8s-ready probe checks the Deployment by name only` }));
  return { driver: 'kubernetes', probe: { 'k8s-ready': { kind: 'Deployment', name: args.name, namespace: typeof args.ns === 'string' ? args.ns : 'default' } }, text: `probe k8s-ready of Deployment ${args.name}`, notes, gaps };
};

const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

/** Every pod the label selector selects in ns is in phase (default Running), and there is at least one. */
const podsInPhase: Mapping = (args) => {
  const notes: string[] = [];
  const labels = labelsOf(args.label_selector);
  if (!labels) return { unmapped: `label_selector ${JSON.stringify(args.label_selector ?? null)}: only "key=value,..." selectors are imported (faultline's k8s-ready selects pods by labels)` };
  const phase = args.phase === undefined ? 'Running' : args.phase;
  if (typeof phase !== 'string' || !POD_PHASES.includes(phase)) return { unmapped: `phase ${JSON.stringify(phase)}: expected one of ${POD_PHASES.join(', ')}` };
  if (args.ns === undefined) notes.push('no ns: chaosk8s uses namespace "default", and so does the import');
  const gaps: Mapped['gaps'] = [];
  for (const key of Object.keys(args)) {
    if (key === 'raise_on_invalid_phase') {
      if (args[key] === false) gaps.push({ arg: key, text: 'raise_on_invalid_phase false: the probe then returns false instead of failing, for a tolerance to judge; faultline\'s k8s-ready passes or fails' });
    } else if (!['label_selector', 'phase', 'ns'].includes(key)) gaps.push({ arg: key, text: `argument ${key}: not a pods_in_phase argument faultline knows` });
  }
  const namespace = typeof args.ns === 'string' ? args.ns : 'default';
  return {
    driver: 'kubernetes',
    probe: { 'k8s-ready': { kind: 'Pod', labels, phase, namespace } },
    text: `probe k8s-ready: every pod ${JSON.stringify(labels)} in ${namespace} in phase ${phase} (at least one)`,
    notes,
    gaps,
  };
};

/** os.path.exists(path) is `test -e path`: true is exit code 0, false is 1. */
const pathExists: Mapping = (args, _name, tolerance) => {
  if (typeof args.path !== 'string') return { unmapped: 'it needs a path' };
  if (tolerance !== true && tolerance !== false) return { unmapped: `tolerance ${JSON.stringify(tolerance)}: os.path.exists returns true or false` };
  return {
    probe: { exec: { command: ['test', '-e', args.path], ...(tolerance ? {} : { exitCode: 1 }) } },
    judgesTolerance: true,
    text: `probe exec \`test -e ${args.path}\` (exit code ${tolerance ? 0 : 1} when the tolerance ${tolerance} holds)`,
    notes: ["a relative path is taken from the faultline file's directory (Chaos Toolkit: from where it runs)"],
    gaps: [],
  };
};

/** os.rename(src, dst) is `mv src dst` (which, unlike os.rename, also moves across file systems). */
const rename: Mapping = (args) => {
  if (typeof args.src !== 'string' || typeof args.dst !== 'string') return { unmapped: 'it needs src and dst' };
  return { fault: { command: { run: ['mv', args.src, args.dst] } }, text: `fault command \`mv ${args.src} ${args.dst}\``, notes: ['mv also moves across file systems, where os.rename fails'], gaps: [] };
};

// Method actions of chaostoxi are mapped by chaos-toolkit-toxiproxy.ts; these are what is left: a
// rollback that removes what no create_proxy of the experiment made, and the probes.
const TOXIPROXY = "faultline maps Toxiproxy's create_proxy and its latency, bandwidth and timeout toxics in the method (to an external service, a link and link faults that faultline reverts itself); this call has nothing of the experiment's to act on";

/** The table: "module.func" → how it maps. Unknown providers are not imported. */
export const PYTHON_PROVIDERS: Record<string, Mapping> = {
  'chaosk8s.pod.actions.terminate_pods': terminatePods,
  'chaosk8s.pod.actions.delete_pods': deletePods,
  'chaosk8s.deployment.probes.deployment_available_and_healthy': deploymentReady,
  'chaosk8s.probes.deployment_available_and_healthy': deploymentReady,
  'chaosk8s.probes.microservice_available_and_healthy': deploymentReady,
  'chaosk8s.pod.probes.pods_in_phase': podsInPhase,
  'os.path.exists': pathExists,
  'os.rename': rename,
};

/** Providers known by name whose reason for not being imported is worth more than "no equivalent". */
export const KNOWN_UNMAPPED: Record<string, string> = {
  'chaosk8s.node.actions.drain_nodes': 'faultline does not drain nodes',
  'chaosk8s.node.actions.uncordon_node': 'faultline does not cordon or drain nodes',
  'chaosk8s.deployment.actions.scale_deployment': "faultline's scale fault holds a replica count for a time and then restores it; Chaos Toolkit's scale_deployment leaves it until a rollback",
  'chaostoxi.toxic.actions.create_latency_toxic': TOXIPROXY,
  'chaostoxi.toxic.actions.create_bandwith_degradation_toxic': TOXIPROXY,
  'chaostoxi.toxic.actions.create_timeout_toxic': TOXIPROXY,
  'chaostoxi.toxic.actions.create_limiter_toxic': TOXIPROXY,
  'chaostoxi.toxic.actions.create_slicer_toxic': TOXIPROXY,
  'chaostoxi.toxic.actions.create_slow_connection_close_toxic': TOXIPROXY,
  'chaostoxi.toxic.actions.create_toxic': TOXIPROXY,
  'chaostoxi.toxic.actions.delete_toxic': TOXIPROXY,
  'chaostoxi.proxy.actions.create_proxy': TOXIPROXY,
  'chaostoxi.proxy.actions.delete_proxy': TOXIPROXY,
  'chaostoxi.proxy.actions.disable_proxy': TOXIPROXY,
  'chaostoxi.proxy.actions.enable_proxy': TOXIPROXY,
};

export function providerName(provider: Args): string {
  return `${String(provider.module ?? '?')}.${String(provider.func ?? '?')}`;
}

export function argsOf(provider: Args): Args {
  return isRecord(provider.arguments) ? provider.arguments : {};
}
