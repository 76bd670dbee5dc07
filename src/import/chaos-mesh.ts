// Chaos Mesh custom resources (chaos-mesh.org/v1alpha1) as faultline experiments: PodChaos and
// NetworkChaos become one Kubernetes experiment each, a Schedule becomes a faultline Schedule and
// the experiment it runs. Kinds faultline does not do are refused by name; an invalid resource is
// refused, located; a part with no faultline equivalent is a gap.
import type { Diagnostic } from '../domain/errors.js';
import { cronOf } from './chaos-mesh-cron.js';
import { pickOf, selectorOf, type Invalid } from './chaos-mesh-selector.js';
import { Findings, type Conversion, type Draft, type PathSegment } from './findings.js';
import { located, type SourceDocument } from './source-documents.js';
import { durationText, goDurationMs, isRecord, nameFrom } from './values.js';

export const CHAOS_MESH_API = 'chaos-mesh.org/v1alpha1';

const CHAOS_KINDS = { PodChaos: 'podChaos', NetworkChaos: 'networkChaos' } as const;
type ChaosKind = keyof typeof CHAOS_KINDS;

const SPEC_KEYS: Record<ChaosKind, string[]> = {
  PodChaos: ['action', 'mode', 'value', 'selector', 'duration', 'containerNames', 'gracePeriod'],
  NetworkChaos: ['action', 'mode', 'value', 'selector', 'duration', 'direction', 'target', 'externalTargets', 'delay', 'loss', 'bandwidth'],
};

const SUGGESTION = [
  'Chaos Mesh judges nothing, so no objective was added. A recovery objective needs a probe of the',
  'service; for example (replace <workload> with what the selected pods belong to):',
  'probes:',
  '  ready:',
  '    k8s-ready: { kind: Deployment, name: <workload> }',
  'steadyState: [ready]',
  'objectives:',
  '  - recovery: { probe: ready, within: 30s }',
];

/**
 * One Chaos Mesh document; `stem` names the files written (default: the resource's name). Throws
 * an InvalidInputError for an unsupported kind or an invalid resource.
 */
export function convertChaosMesh(doc: SourceDocument, stem?: string): Conversion {
  const data = doc.data as Record<string, unknown>;
  const kind = String(data.kind);
  const meta = isRecord(data.metadata) ? data.metadata : {};
  const name = nameFrom(String(meta.name ?? ''), `chaos-mesh-${doc.index + 1}`);
  const file = stem ?? name;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const problems: Diagnostic[] = [];
  const invalid: Invalid = (path, message) => problems.push({ file: doc.file, ...doc.at(path), path: path.join('.'), message });
  const f = new Findings(doc);
  const source = `Chaos Mesh ${kind} ${String(meta.name ?? '(unnamed)')}`;
  const drafts: Draft[] = [];

  if (kind === 'Schedule') {
    const spec = isRecord(data.spec) ? data.spec : {};
    const type = spec.type;
    if (!(typeof type === 'string' && type in CHAOS_KINDS)) {
      throw located([{ file: doc.file, ...doc.at(['spec', 'type']), path: 'spec.type', message: typeof type === 'string' ? `${type} is not supported by faultline (a Schedule it imports runs PodChaos or NetworkChaos)` : 'a Schedule needs a type (PodChaos or NetworkChaos)' }]);
    }
    const chaosKey = CHAOS_KINDS[type as ChaosKind];
    const experiment = experimentDraft(type as ChaosKind, spec[chaosKey], ['spec', chaosKey], `${file}.yaml`, name, namespace, source, doc, f, invalid);
    const schedule = scheduleDraft(spec, name, file, source, doc, f);
    if (problems.length > 0) throw located(problems);
    if (experiment) drafts.push(experiment);
    if (experiment && schedule) drafts.push(schedule);
  } else if (kind in CHAOS_KINDS) {
    const experiment = experimentDraft(kind as ChaosKind, data.spec, ['spec'], `${file}.yaml`, name, namespace, source, doc, f, invalid);
    if (problems.length > 0) throw located(problems);
    if (experiment) drafts.push(experiment);
  } else {
    throw located([{ file: doc.file, ...doc.at(['kind']), path: 'kind', message: `${kind} is not supported by faultline (it imports PodChaos, NetworkChaos and Schedule)` }]);
  }
  for (const key of Object.keys(meta)) {
    if (!['name', 'namespace', 'labels', 'annotations'].includes(key)) f.note(['metadata', key], `metadata.${key} is not used`);
  }
  return { source, drafts, mapped: f.mapped, gaps: f.gaps, notes: f.notes };
}

/** The experiment for one chaos spec; undefined when no fault of it could be imported (the gaps say why). */
function experimentDraft(kind: ChaosKind, spec: unknown, at: PathSegment[], file: string, name: string, namespace: string | undefined, source: string, doc: SourceDocument, f: Findings, invalid: Invalid): Draft | undefined {
  if (!isRecord(spec)) {
    invalid(at, `a ${kind} needs a spec`);
    return undefined;
  }
  const faults: Record<string, unknown>[] = [];
  const targets: Record<string, unknown> = {};
  const draft: Draft = {
    name: file,
    kind: 'Experiment',
    data: {
      apiVersion: 'faultline/v1',
      kind: 'Experiment',
      metadata: { name, description: `Imported from ${source} (${doc.file}).` },
      spec: { driver: 'kubernetes', targets, faults },
    },
    header: [`Imported by \`faultline import\` from ${doc.file} (${source}).`, 'What was not imported, if anything, is marked NOT IMPORTED below.'],
    comments: [],
    footer: SUGGESTION,
  };
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS[kind].includes(key)) f.gap([...at, key], `${kind} spec.${key}: faultline has no equivalent`, draft, ['spec', 'faults']);
  }
  targets.pods = {
    selector: selectorOf(spec.selector, [...at, 'selector'], namespace, f, draft, ['spec', 'targets', 'pods', 'selector'], invalid),
    pick: pickOf(spec, [...at, 'value'], f, draft, ['spec', 'targets', 'pods', 'pick'], invalid),
  };
  const action = spec.action;
  const actionAt = [...at, 'action'];
  const durationMs = spec.duration === undefined ? undefined : goDurationMs(spec.duration);
  if (spec.duration !== undefined && durationMs === undefined) invalid([...at, 'duration'], `expected a duration such as "30s" or "1m30s" (found ${JSON.stringify(spec.duration)})`);
  const held = (fault: Record<string, unknown>): Record<string, unknown> | undefined => {
    if (durationMs === undefined || durationMs <= 0) {
      f.gap(spec.duration === undefined ? at : [...at, 'duration'], `${kind} ${String(action)} has no duration: Chaos Mesh holds it until the resource is deleted, faultline holds a fault for a set time (add duration)`, draft, ['spec', 'faults']);
      return undefined;
    }
    f.map([...at, 'duration'], `duration ${String(spec.duration)} → for: ${durationText(durationMs)}`);
    return { ...fault, for: durationText(durationMs) };
  };

  if (kind === 'PodChaos') {
    if (action === 'pod-kill') {
      const grace = spec.gracePeriod === undefined ? 0 : Number(spec.gracePeriod);
      if (grace > 0) {
        faults.push({ 'pod-delete': { target: 'pods', gracePeriod: `${grace}s` } });
        f.map(actionAt, `PodChaos pod-kill with gracePeriod ${grace} → fault pod-delete (gracePeriod ${grace}s)`);
      } else {
        faults.push({ 'pod-kill': { target: 'pods' } });
        f.map(actionAt, 'PodChaos pod-kill → fault pod-kill (delete, grace period 0)');
      }
      if (spec.duration !== undefined) f.note([...at, 'duration'], 'duration is not used: a pod kill is instant (as in Chaos Mesh)');
    } else if (action === 'container-kill') {
      const names = Array.isArray(spec.containerNames) ? spec.containerNames.map(String) : [];
      if (names.length === 0) invalid([...at, 'containerNames'], 'container-kill needs containerNames');
      for (const container of names) faults.push({ 'container-kill': { target: 'pods', container } });
      if (names.length > 0) f.map(actionAt, `PodChaos container-kill → fault container-kill (SIGKILL) of container ${names.join(', ')}`);
    } else if (action === 'pod-failure') {
      const fault = held({ 'pod-failure': { target: 'pods' } });
      if (fault) {
        faults.push(fault);
        f.map(actionAt, "PodChaos pod-failure → fault pod-failure (every container on Chaos Mesh's pause image until reverted; the pod is not deleted)");
      }
    } else {
      invalid(actionAt, `unknown PodChaos action ${JSON.stringify(action)}: expected pod-kill, pod-failure or container-kill`);
    }
  } else {
    networkFaults(spec, at, namespace, f, draft, invalid, held, targets, faults);
  }
  if (faults.length === 0) return undefined;
  return draft;
}

const TC_RATE_UNITS: Record<string, string> = { bit: 'bit', kbit: 'kbit', mbit: 'mbit', gbit: 'gbit', bps: 'B', kbps: 'KB', mbps: 'MB', gbps: 'GB' };

function networkFaults(
  spec: Record<string, unknown>,
  at: PathSegment[],
  namespace: string | undefined,
  f: Findings,
  draft: Draft,
  invalid: Invalid,
  held: (fault: Record<string, unknown>) => Record<string, unknown> | undefined,
  targets: Record<string, unknown>,
  faults: Record<string, unknown>[],
): void {
  const action = spec.action;
  const actionAt = [...at, 'action'];
  const direction = spec.direction ?? 'to';
  if (!['to', 'from', 'both'].includes(String(direction))) invalid([...at, 'direction'], `unknown direction ${JSON.stringify(direction)}: expected to, from or both`);
  const peers = isRecord(spec.target) ? spec.target : undefined;
  if (peers) {
    for (const key of Object.keys(peers)) if (!['selector', 'mode', 'value'].includes(key)) f.gap([...at, 'target', key], `target.${key}: faultline has no equivalent`, draft, ['spec', 'targets']);
    targets.peers = {
      selector: selectorOf(peers.selector, [...at, 'target', 'selector'], namespace, f, draft, ['spec', 'targets', 'peers', 'selector'], invalid),
      pick: pickOf(peers, [...at, 'target', 'value'], f, draft, ['spec', 'targets', 'peers', 'pick'], invalid),
    };
  }
  const add = (fault: Record<string, unknown> | undefined, text: string) => {
    if (!fault) return;
    faults.push(fault);
    f.map(actionAt, text);
  };
  const correlation = (params: Record<string, unknown>, key: string) => {
    const c = params.correlation;
    if (c !== undefined && Number(c) !== 0) f.gap([...at, key, 'correlation'], `${key}.correlation ${String(c)}%: faultline's ${key === 'delay' ? 'jitter is uniform and independent' : 'loss is independent'} from packet to packet`, draft, ['spec', 'faults']);
  };
  if (action === 'partition') {
    if (!peers) {
      f.gap(spec.externalTargets !== undefined ? [...at, 'externalTargets'] : actionAt, 'a partition without target: faultline partitions two target groups (externalTargets and "all traffic" are not supported)', draft, ['spec', 'faults']);
      return;
    }
    add(held({ partition: { from: 'pods', to: 'peers', direction } }), `NetworkChaos partition (direction ${String(direction)}) → fault partition from pods to peers, direction ${String(direction)}`);
    return;
  }
  // Without a target Chaos Mesh shapes the pod's own interface: "to" is its egress, which is
  // faultline's "from" the target; "from" is its ingress, faultline's "to" it.
  const ours = { to: 'from', from: 'to', both: 'both' }[String(direction)] ?? 'from';
  if (peers) f.gap([...at, 'target'], `${String(action)} toward a target: faultline limits an impairment to peers on the docker driver only; imported as an impairment of all the pods' traffic`, draft, ['spec', 'faults']);
  if (spec.externalTargets !== undefined) f.gap([...at, 'externalTargets'], 'externalTargets: faultline impairs all traffic of a target, not traffic to given addresses', draft, ['spec', 'faults']);
  const params = isRecord(spec[String(action)]) ? (spec[String(action)] as Record<string, unknown>) : undefined;
  if (action === 'delay' || action === 'loss' || action === 'bandwidth') {
    if (!params) {
      invalid([...at, String(action)], `action ${String(action)} needs spec.${String(action)}`);
      return;
    }
  }
  if (action === 'delay') {
    const delay = goDurationMs(params!.latency);
    if (delay === undefined) return invalid([...at, 'delay', 'latency'], `expected a latency such as "90ms" (found ${JSON.stringify(params!.latency)})`);
    const jitter = params!.jitter === undefined ? 0 : goDurationMs(params!.jitter);
    if (jitter === undefined) return invalid([...at, 'delay', 'jitter'], `expected a jitter such as "10ms" (found ${JSON.stringify(params!.jitter)})`);
    correlation(params!, 'delay');
    for (const key of Object.keys(params!)) if (!['latency', 'jitter', 'correlation'].includes(key)) f.gap([...at, 'delay', key], `delay.${key}: faultline has no equivalent`, draft, ['spec', 'faults']);
    add(held({ latency: { target: 'pods', delay: durationText(delay), ...(jitter > 0 ? { jitter: durationText(jitter) } : {}), direction: ours } }), `NetworkChaos delay ${String(params!.latency)}${jitter > 0 ? ` ±${String(params!.jitter)}` : ''} (direction ${String(direction)}) → fault latency, direction ${ours}`);
  } else if (action === 'loss') {
    const percent = Number(params!.loss);
    if (!(percent > 0 && percent <= 100)) return invalid([...at, 'loss', 'loss'], `expected a loss percentage above 0 and at most 100 (found ${JSON.stringify(params!.loss)})`);
    correlation(params!, 'loss');
    if (ours !== 'from') f.gap([...at, 'direction'], `loss direction ${String(direction)}: faultline's loss fault has no direction (it drops the target's traffic)`, draft, ['spec', 'faults']);
    add(held({ loss: { target: 'pods', percent: `${percent}%` } }), `NetworkChaos loss ${percent}% → fault loss ${percent}%`);
  } else if (action === 'bandwidth') {
    const m = /^(\d+(?:\.\d+)?)\s*(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)$/i.exec(String(params!.rate ?? ''));
    if (!m) return invalid([...at, 'bandwidth', 'rate'], `expected a tc rate such as "1mbps" or "100kbit" (found ${JSON.stringify(params!.rate)})`);
    const rate = `${m[1]}${TC_RATE_UNITS[m[2]!.toLowerCase()]}`;
    for (const key of Object.keys(params!)) {
      if (key !== 'rate') f.gap([...at, 'bandwidth', key], `bandwidth.${key} (a tc tbf parameter): faultline sets its own queue and burst sizes`, draft, ['spec', 'faults']);
    }
    add(held({ bandwidth: { target: 'pods', rate, direction: ours } }), `NetworkChaos bandwidth ${String(params!.rate)} → fault bandwidth ${rate}/s (tc units: bps is bytes per second), direction ${ours}`);
  } else if (typeof action === 'string' && ['netem', 'corrupt', 'duplicate'].includes(action)) {
    f.gap(actionAt, `NetworkChaos action ${action}: faultline has no ${action === 'netem' ? 'combined netem' : `packet ${action === 'corrupt' ? 'corruption' : 'duplication'}`} fault`, draft, ['spec', 'faults']);
  } else {
    invalid(actionAt, `unknown NetworkChaos action ${JSON.stringify(action)}: expected delay, loss, bandwidth, partition, netem, corrupt or duplicate`);
  }
}

function scheduleDraft(spec: Record<string, unknown>, name: string, file: string, source: string, doc: SourceDocument, f: Findings): Draft | undefined {
  const experimentFile = `${file}.yaml`;
  const draft: Draft = {
    name: `${file}.schedule.yaml`,
    kind: 'Schedule',
    data: {
      apiVersion: 'faultline/v1',
      kind: 'Schedule',
      metadata: { name, description: `Imported from ${source} (${doc.file}).` },
      spec: { experiments: [experimentFile], cadence: {}, concurrency: 1, onObjectiveMissed: 'continue' },
    },
    header: [`Imported by \`faultline import\` from ${doc.file} (${source}).`, 'Chaos Mesh never pauses a schedule, hence onObjectiveMissed: continue.'],
    comments: [],
    footer: [],
  };
  for (const key of Object.keys(spec)) {
    if (key === 'historyLimit') f.note(['spec', key], 'historyLimit is not used: faultline keeps every run\'s journal under --out');
    else if (!['schedule', 'type', 'concurrencyPolicy', CHAOS_KINDS[spec.type as ChaosKind]].includes(key)) f.gap(['spec', key], `Schedule spec.${key}: faultline has no equivalent`, draft, ['spec']);
  }
  const policy = spec.concurrencyPolicy ?? 'Forbid';
  if (policy === 'Forbid') f.map(spec.concurrencyPolicy === undefined ? ['spec'] : ['spec', 'concurrencyPolicy'], 'concurrencyPolicy Forbid → concurrency: 1');
  else f.gap(['spec', 'concurrencyPolicy'], `concurrencyPolicy ${String(policy)}: faultline never starts a run on targets a running one holds`, draft, ['spec', 'concurrency']);
  const cron = cronOf(spec.schedule);
  if ('error' in cron) {
    f.gap(['spec', 'schedule'], cron.error);
    return undefined;
  }
  (draft.data.spec as Record<string, unknown>).cadence = { cron: cron.cron };
  f.map(['spec', 'schedule'], `schedule ${JSON.stringify(spec.schedule)} → cadence {cron: "${cron.cron}"} (UTC)${cron.note ? `; ${cron.note}` : ''}`);
  return draft;
}
