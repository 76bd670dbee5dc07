// A Chaos Toolkit experiment (JSON or YAML, chaostoolkit-documentation's experiment API) as a
// faultline experiment: the steady-state hypothesis's probes become probes and steadyState, the
// method's actions become faults at `at` offsets made of the pauses, its probes become probes, and
// the rollbacks become the revert of a held command fault, so that faultline plays them on every
// path. What has no equivalent is a gap, named with its line.
import { shellWords } from '../domain/fault-kinds/command.js';
import { Substitution } from './chaos-toolkit-config.js';
import { KNOWN_UNMAPPED, PYTHON_PROVIDERS, argsOf, providerName, type Args } from './chaos-toolkit-providers.js';
import { httpExpectation, processExpectation, type Expectation } from './chaos-toolkit-tolerance.js';
import { TOXIPROXY_MODULE, ToxiproxyState, toxiproxyStep } from './chaos-toolkit-toxiproxy.js';
import { Findings, type Conversion, type Draft, type PathSegment } from './findings.js';
import { located, type SourceDocument } from './source-documents.js';
import { durationText, isRecord, nameFrom } from './values.js';

const KNOWN_TOP = ['version', 'title', 'description', 'tags', 'contributions', 'configuration', 'secrets', 'steady-state-hypothesis', 'method', 'rollbacks', 'extensions'];
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

export function looksLikeChaosToolkit(data: unknown): boolean {
  return isRecord(data) && data.apiVersion === undefined && (Array.isArray(data.method) || isRecord(data['steady-state-hypothesis']));
}

interface Activity {
  act: Record<string, unknown>;
  /** Where it is written (the activity itself, not the ref to it). */
  path: PathSegment[];
  /** Where it is used (the ref, for a referenced activity). */
  usedAt: PathSegment[];
}

interface PendingFault {
  fault: Record<string, unknown>;
  path: PathSegment[];
  command: boolean;
  /** "proxy/toxic" for a Toxiproxy toxic, whose `for` is known once the method is read. */
  toxic?: string;
}

/** `env` resolves configuration read from the environment where faultline cannot read it when it runs. */
export function convertChaosToolkit(doc: SourceDocument, stem: string, env: Readonly<Record<string, string | undefined>>): Conversion {
  const data = doc.data as Record<string, unknown>;
  const title = typeof data.title === 'string' ? data.title : stem;
  const source = `Chaos Toolkit experiment "${title}"`;
  if (!Array.isArray(data.method)) {
    throw located([{ file: doc.file, ...doc.at(['method']), path: 'method', message: 'a Chaos Toolkit experiment needs a method (a list of activities)' }]);
  }
  const f = new Findings(doc);
  const sub = new Substitution(data.configuration, data.secrets, env);
  const targets: Record<string, unknown> = {};
  const probes: Record<string, unknown> = {};
  const steadyState: string[] = [];
  const pending: PendingFault[] = [];
  let kubernetes: PathSegment[] | undefined;
  const toxiproxyState = new ToxiproxyState();
  const services: Record<string, unknown> = {};
  const links: Record<string, unknown> = {};
  const toxics = new Map<string, { fault: PendingFault; at: number }>();
  const draft: Draft = {
    name: `${stem}.yaml`,
    kind: 'Experiment',
    data: {
      apiVersion: 'faultline/v1',
      kind: 'Experiment',
      metadata: { name: nameFrom(title, stem), description: typeof data.description === 'string' && data.description !== 'n/a' ? data.description : title },
      spec: { driver: 'process', targets, probes, steadyState, faults: [] },
    },
    header: [`Imported by \`faultline import\` from ${doc.file} (${source}).`, 'What was not imported, if anything, is marked NOT IMPORTED below.'],
    comments: [],
    footer: [],
  };
  for (const key of Object.keys(data)) {
    if (key === 'controls') f.gap([key], 'controls (code Chaos Toolkit runs around each activity): faultline has no such hooks', draft, ['spec']);
    else if (key === 'runtime') f.gap([key], 'runtime (when Chaos Toolkit plays rollbacks and the hypothesis): faultline always reverts every fault and always checks the steady state', draft, ['spec']);
    else if (!KNOWN_TOP.includes(key)) f.gap([key], `${key}: faultline has no equivalent`, draft, ['spec']);
  }
  for (const key of ['tags', 'contributions', 'extensions']) if (data[key] !== undefined) f.note([key], `${key} is not used (it describes the experiment; faultline does not read it)`);

  const used = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return name;
  };
  const byName = new Map<string, Activity>();
  const index = (list: unknown, at: PathSegment[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((a, i) => {
      if (isRecord(a) && typeof a.name === 'string' && !byName.has(a.name)) byName.set(a.name, { act: a, path: [...at, i], usedAt: [...at, i] });
    });
  };
  const ssh = isRecord(data['steady-state-hypothesis']) ? data['steady-state-hypothesis'] : undefined;
  index(ssh?.probes, ['steady-state-hypothesis', 'probes']);
  index(data.method, ['method']);
  index(data.rollbacks, ['rollbacks']);
  const resolve = (a: unknown, at: PathSegment[]): Activity | undefined => {
    if (isRecord(a) && typeof a.ref === 'string') {
      const target = byName.get(a.ref);
      if (!target) f.gap(at, `ref ${JSON.stringify(a.ref)} names no activity of the experiment`, draft, ['spec']);
      if (target) activityKeys(target);
      return target ? { ...target, usedAt: at } : undefined;
    }
    if (!isRecord(a) || !isRecord(a.provider)) {
      f.gap(at, 'an activity without a provider', draft, ['spec']);
      return undefined;
    }
    const activity = { act: a, path: at, usedAt: at };
    activityKeys(activity);
    return activity;
  };
  const checked = new Set<string>();
  /** The keys of an activity faultline has nothing for, once per activity however often it is referenced. */
  const activityKeys = (a: Activity) => {
    const key = a.path.join('.');
    if (checked.has(key)) return;
    checked.add(key);
    for (const k of Object.keys(a.act)) {
      if (k === 'controls') f.gap([...a.path, k], `"${String(a.act.name)}": controls (code Chaos Toolkit runs around the activity): faultline has no such hooks`, draft, ['spec']);
      else if (!['type', 'name', 'provider', 'tolerance', 'pauses', 'background', 'secrets'].includes(k)) f.gap([...a.path, k], `"${String(a.act.name)}": ${k}: faultline has no equivalent`, draft, ['spec']);
    }
  };
  const substitute = (value: unknown, at: PathSegment[], runtimeEnv: boolean): { ok: boolean; value: unknown } => {
    const r = sub.apply(value, runtimeEnv);
    if (!r.ok) {
      f.gap(at, r.reason, draft, ['spec']);
      return { ok: false, value: undefined };
    }
    for (const n of r.notes) f.note(at, n);
    return { ok: true, value: r.value };
  };

  // ------------------------------------------------------------------ probes
  const probe = (a: Activity, steady: boolean) => {
    const p = a.act.provider as Args;
    const at = [...a.path, 'provider'];
    const label = String(a.act.name ?? `activity at ${a.path.join('.')}`);
    const name = unique(nameFrom(label, `probe-${Object.keys(probes).length + 1}`));
    const outPath = ['spec', 'probes'];
    const expecting = (e: Expectation): Record<string, unknown> | undefined => {
      if (!e.ok) {
        f.gap([...a.path, 'tolerance'], `probe "${label}": ${e.reason}`, draft, outPath);
        return undefined;
      }
      if (a.act.tolerance !== undefined) f.map([...a.path, 'tolerance'], `probe "${label}": ${e.text}`);
      return e.set;
    };
    let spec: Record<string, unknown> | undefined;
    let timeout: unknown;
    if (p.type === 'http') {
      spec = httpProbe(p, at, label, a.act.tolerance, expecting);
      timeout = p.timeout;
    } else if (p.type === 'process') {
      const argv = commandOf(p, at, label);
      const set = argv ? expecting(processExpectation(a.act.tolerance)) : undefined;
      if (argv && set) spec = { exec: { command: argv, ...set } };
      timeout = p.timeout;
    } else if (p.type === 'python') {
      const mapped = python(p, at, label, outPath, 'probe', a.act.tolerance);
      if (mapped?.probe) {
        if (!mapped.judgesTolerance && a.act.tolerance !== undefined && a.act.tolerance !== true) f.gap([...a.path, 'tolerance'], `probe "${label}": tolerance ${JSON.stringify(a.act.tolerance)}: faultline's ${Object.keys(mapped.probe)[0]} probe passes or fails`, draft, outPath);
        else spec = mapped.probe;
      }
    } else {
      f.gap([...at, 'type'], `probe "${label}": a ${String(p.type)} provider has no faultline equivalent`, draft, outPath);
    }
    if (!spec) return;
    const seconds = Array.isArray(timeout) ? timeout.reduce((s: number, x) => s + Number(x), 0) : timeout;
    if (typeof seconds === 'number' && seconds > 0) spec.timeout = durationText(seconds * 1000);
    else if (p.type !== 'python') f.note(at, `probe "${label}" has no timeout: Chaos Toolkit waits as long as it takes, faultline fails a sample after 1s (its default; set "timeout" to change it)`);
    probes[name] = spec;
    if (steady) steadyState.push(name);
    f.map(a.usedAt, `${steady ? 'steady-state probe' : 'method probe'} "${label}" → probe ${name}${steady ? ' (in steadyState)' : ''}`);
  };

  const httpProbe = (p: Args, at: PathSegment[], label: string, tolerance: unknown, expecting: (e: Expectation) => Record<string, unknown> | undefined) => {
    const url = substitute(p.url, [...at, 'url'], false);
    if (!url.ok) return undefined;
    const method = String(p.method ?? 'GET').toUpperCase();
    if (!HTTP_METHODS.includes(method)) {
      f.gap([...at, 'method'], `probe "${label}": method ${method} (faultline's http probe sends ${HTTP_METHODS.join(', ')})`, draft, ['spec', 'probes']);
      return undefined;
    }
    const http: Record<string, unknown> = { url: url.value, method };
    if (isRecord(p.headers)) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(p.headers)) {
        const r = substitute(v, [...at, 'headers', k], true);
        if (!r.ok) return undefined;
        headers[k] = String(r.value);
      }
      http.headers = headers;
    }
    if (p.arguments !== undefined) {
      const json = Object.entries(isRecord(p.headers) ? p.headers : {}).some(([k, v]) => k.toLowerCase() === 'content-type' && String(v).includes('json'));
      if (method === 'GET' || !json) {
        f.gap([...at, 'arguments'], `probe "${label}": arguments (sent by Chaos Toolkit as ${method === 'GET' ? 'a query string' : 'a form'}): faultline's http probe sends a fixed URL and body; put them in the url or use a JSON body`, draft, ['spec', 'probes']);
        return undefined;
      }
      const body = substitute(JSON.stringify(p.arguments), [...at, 'arguments'], true);
      if (!body.ok) return undefined;
      http.body = body.value;
    }
    if (p.verify_tls === false && String(url.value).startsWith('https:')) f.gap([...at, 'verify_tls'], `probe "${label}": verify_tls false: faultline's http probe always verifies certificates`, draft, ['spec', 'probes']);
    for (const key of Object.keys(p)) if (!['type', 'url', 'method', 'headers', 'arguments', 'timeout', 'expected_status', 'verify_tls', 'secrets'].includes(key)) f.gap([...at, key], `probe "${label}": provider.${key}: faultline has no equivalent`, draft, ['spec', 'probes']);
    const set = expecting(httpExpectation(tolerance));
    if (!set) return undefined;
    if (p.expected_status !== undefined && set.status === undefined) {
      set.status = p.expected_status;
      f.map([...at, 'expected_status'], `probe "${label}": expected_status ${String(p.expected_status)} → expect.status`);
    } else if (p.expected_status !== undefined && JSON.stringify(set.status) !== JSON.stringify(p.expected_status)) {
      f.gap([...at, 'expected_status'], `probe "${label}": expected_status ${String(p.expected_status)} and the tolerance ask for different statuses; faultline checks one (the tolerance's)`, draft, ['spec', 'probes']);
    }
    if (Object.keys(set).length > 0) http.expect = set;
    return { http };
  };

  /** A process provider's program and arguments; references to the environment stay references. */
  const commandOf = (p: Args, at: PathSegment[], label: string): string[] | undefined => {
    const program = substitute(p.path, [...at, 'path'], true);
    if (!program.ok || typeof program.value !== 'string' || program.value === '') {
      if (program.ok) f.gap([...at, 'path'], `"${label}": a process provider needs a path`, draft, ['spec']);
      return undefined;
    }
    let args: unknown[] = [];
    if (typeof p.arguments === 'string') args = splitArguments(p.arguments);
    else if (Array.isArray(p.arguments)) args = p.arguments;
    else if (p.arguments !== undefined) {
      f.gap([...at, 'arguments'], `"${label}": process arguments given as a mapping: write them as a list`, draft, ['spec']);
      return undefined;
    }
    const argv = [program.value];
    for (const [i, a] of args.entries()) {
      const r = substitute(String(a), [...at, 'arguments', ...(Array.isArray(p.arguments) ? [i] : [])], true);
      if (!r.ok) return undefined;
      argv.push(String(r.value));
    }
    if (program.value.includes('/') && !program.value.startsWith('/')) f.note([...at, 'path'], `"${label}": ${program.value} is taken from the faultline file's directory (Chaos Toolkit: from where it runs)`);
    return argv.filter((x) => x !== '');
  };

  const pythonArgs = (p: Args, at: PathSegment[]): Args | undefined => {
    const args: Args = {};
    for (const [k, v] of Object.entries(argsOf(p))) {
      const r = substitute(v, [...at, 'arguments', k], false);
      if (!r.ok) return undefined;
      args[k] = r.value;
    }
    return args;
  };

  const python = (p: Args, at: PathSegment[], label: string, outPath: PathSegment[], want: 'probe' | 'fault', tolerance?: unknown) => {
    const name = providerName(p);
    const mapping = PYTHON_PROVIDERS[name];
    if (!mapping) {
      f.gap(at, `python provider ${name} ("${label}"): ${KNOWN_UNMAPPED[name] ?? 'faultline has no equivalent'}`, draft, outPath);
      return undefined;
    }
    const args = pythonArgs(p, at);
    if (!args) return undefined;
    const m = mapping(args, nameFrom(label, 'pods'), tolerance);
    if ('unmapped' in m) {
      f.gap(at, `python provider ${name} ("${label}"): ${m.unmapped}`, draft, outPath);
      return undefined;
    }
    if ((want === 'probe' ? m.probe : m.fault) === undefined) {
      f.gap(at, `python provider ${name} ("${label}") is ${want === 'probe' ? 'an action, used here as a probe' : 'a probe, used here as an action'}`, draft, outPath);
      return undefined;
    }
    for (const g of m.gaps) f.gap([...at, 'arguments', g.arg], `${name} ("${label}"): ${g.text}`, draft, outPath);
    for (const n of m.notes) f.note(at, `${name} ("${label}"): ${n}`);
    f.map(at, `python provider ${name} ("${label}") → ${m.text}`);
    if (m.driver === 'kubernetes') kubernetes ??= at;
    Object.assign(targets, m.targets ?? {});
    return m;
  };

  // ------------------------------------------------------------------ the hypothesis, the method
  if (ssh) {
    (Array.isArray(ssh.probes) ? ssh.probes : []).forEach((x, i) => {
      const a = resolve(x, ['steady-state-hypothesis', 'probes', i]);
      if (a) probe(a, true);
    });
  }
  let t = 0;
  const offsets = new Map<number, string[]>();
  data.method.forEach((x, i) => {
    const a = resolve(x, ['method', i]);
    if (!a) return;
    const pauses = isRecord(a.act.pauses) ? a.act.pauses : {};
    t += Number(pauses.before ?? 0) || 0;
    const label = String(a.act.name ?? `method[${i}]`);
    if (a.act.background === true) f.note(a.usedAt, `"${label}" runs in the background in Chaos Toolkit; in faultline every fault runs on its own schedule anyway`);
    if (a.act.type === 'probe') probe(a, false);
    else {
      const fault = action(a, label);
      // A toxic added again before its delete_toxic: Toxiproxy refuses it, and the first would never get its end.
      if (fault?.toxic && toxics.has(fault.toxic)) f.gap(a.usedAt, `action "${label}": toxic ${fault.toxic} is added again before a delete_toxic of it: Toxiproxy refuses a second toxic of one name on a proxy`, draft, ['spec', 'faults']);
      else if (fault) {
        fault.fault = { name: unique(nameFrom(label, `fault-${pending.length + 1}`)), ...fault.fault, at: durationText(t * 1000) };
        pending.push(fault);
        if (fault.toxic) toxics.set(fault.toxic, { fault, at: t });
        f.map(a.usedAt, `action "${label}" → fault ${String(fault.fault.name)} at ${String(fault.fault.at)}${t > 0 ? ' (the pauses before it)' : ''}`);
        offsets.set(t, [...(offsets.get(t) ?? []), String(fault.fault.name)]);
      }
    }
    t += Number(pauses.after ?? 0) || 0;
  });
  // A toxic no delete_toxic of the method ended stays, in Chaos Toolkit, until the rollbacks.
  for (const [key, held] of toxics) {
    held.fault.fault.for = durationText((t - held.at) * 1000 + 1000);
    f.note(held.fault.path, `toxic ${key} is held until 1s after the last method step starts (${String(held.fault.fault.for)}): Chaos Toolkit keeps it until a delete_toxic or the rollbacks`);
  }
  for (const [offset, names] of offsets) {
    if (names.length > 1) f.note(['method'], `faults ${names.join(', ')} start together at ${durationText(offset * 1000)}: Chaos Toolkit ran them one after the other, faultline starts each at its offset (add a pause, or an "at", to order them)`);
  }

  function action(a: Activity, label: string): PendingFault | undefined {
    const p = a.act.provider as Args;
    const at = [...a.path, 'provider'];
    if (p.type === 'process') {
      const argv = commandOf(p, at, label);
      if (!argv) return undefined;
      const seconds = typeof p.timeout === 'number' && p.timeout > 0 ? { timeout: durationText(p.timeout * 1000) } : {};
      return { fault: { command: { run: argv, ...seconds } }, path: a.usedAt, command: true };
    }
    if (p.type === 'python' && providerName(p).startsWith(TOXIPROXY_MODULE)) return toxiproxy(p, at, a, label);
    if (p.type === 'python') {
      const m = python(p, at, label, ['spec', 'faults'], 'fault');
      return m?.fault ? { fault: { ...m.fault }, path: a.usedAt, command: 'command' in m.fault } : undefined;
    }
    f.gap([...at, 'type'], `action "${label}": a ${String(p.type)} provider: faultline's faults do not ${p.type === 'http' ? 'make HTTP calls' : 'run it'}`, draft, ['spec', 'faults']);
    return undefined;
  }

  function toxiproxy(p: Args, at: PathSegment[], a: Activity, label: string): PendingFault | undefined {
    const name = providerName(p);
    const args = pythonArgs(p, at);
    if (!args) return undefined;
    const step = toxiproxyStep(name.slice(TOXIPROXY_MODULE.length), args, toxiproxyState);
    if ('unmapped' in step) {
      f.gap(at, `python provider ${name} ("${label}"): ${step.unmapped}`, draft, ['spec', 'faults']);
      return undefined;
    }
    if ('service' in step) {
      services[step.proxy.service] = step.service;
      links[step.proxy.link] = step.link;
      targets[step.proxy.service] = { selector: { names: [step.proxy.service] } };
      for (const n of step.notes) f.note(at, `${name} ("${label}"): ${n}`);
      f.map(a.usedAt, `action "${label}" → ${step.text}`);
      return undefined;
    }
    if ('ends' in step) {
      const key = `${step.ends.proxy}/${step.ends.toxic}`;
      const held = toxics.get(key);
      if (!held) {
        f.gap(at, `python provider ${name} ("${label}"): no toxic ${key} was created earlier in the method`, draft, ['spec', 'faults']);
        return undefined;
      }
      toxics.delete(key);
      held.fault.fault.for = durationText(Math.max(t - held.at, 1) * 1000);
      if (t - held.at < 1) f.note(a.usedAt, `"${label}" ends toxic ${key} less than 1s after it began; faultline holds it 1s, its shortest useful hold`);
      f.map(a.usedAt, `action "${label}" → ${step.text}: fault ${String(held.fault.fault.name)} is held for ${String(held.fault.fault.for)}`);
      return undefined;
    }
    for (const n of step.notes) f.note(at, `${name} ("${label}"): ${n}`);
    f.map(at, `python provider ${name} ("${label}") → ${step.text}`);
    return { fault: step.fault, path: a.usedAt, command: false, toxic: `${step.proxy}/${step.toxic}` };
  }

  // ------------------------------------------------------------------ rollbacks
  const rollbacks: string[][] = [];
  if (Array.isArray(data.rollbacks)) {
    data.rollbacks.forEach((x, i) => {
      const a = resolve(x, ['rollbacks', i]);
      if (!a) return;
      const p = a.act.provider as Args;
      const label = String(a.act.name ?? `rollbacks[${i}]`);
      if (p.type === 'process') {
        const argv = commandOf(p, [...a.path, 'provider'], label);
        if (argv) rollbacks.push(argv);
      } else if (p.type === 'python' && ['chaostoxi.toxic.actions.delete_toxic', 'chaostoxi.proxy.actions.delete_proxy'].includes(providerName(p)) && toxiproxyState.proxies.size > 0) {
        f.map(a.usedAt, `rollback "${label}" → nothing to play: faultline reverts its toxics' faults and closes its links itself, on every path`);
      } else if (p.type === 'python') {
        const name = providerName(p);
        f.gap(a.usedAt, `rollback "${label}": python provider ${name}: ${KNOWN_UNMAPPED[name] ?? 'faultline has no equivalent'}`, draft, ['spec', 'faults']);
      } else {
        f.gap(a.usedAt, `rollback "${label}": a ${String(p.type)} provider: faultline's reverts run commands`, draft, ['spec', 'faults']);
      }
    });
  }
  if (rollbacks.length > 0) {
    const revert = rollbacks.length === 1 ? rollbacks[0]! : ['sh', '-c', rollbacks.map(shellWords).join('; ')];
    const hold = t * 1000 + 1000;
    pending.push({ fault: { name: unique('rollbacks'), command: { run: ['true'], revert }, at: '0s', for: durationText(hold) }, path: ['rollbacks'], command: true });
    f.map(['rollbacks'], `rollbacks → the revert of a held command fault "rollbacks" (its run does nothing): \`${shellWords(revert)}\`, played ${durationText(hold)} into the fault phase (1s after the last method step starts) and on every other path (interrupt, failure, \`faultline rollback\`, the watchdog)`);
  }

  // ------------------------------------------------------------------ the driver
  const faults: Record<string, unknown>[] = [];
  for (const p of pending) {
    if (p.command && kubernetes) {
      f.gap(p.path, `command fault ${String(p.fault.name)}: command faults run on the process driver only, and this experiment needs the kubernetes driver (for ${doc.file}:${doc.at(kubernetes).line})`, draft, ['spec', 'faults']);
      continue;
    }
    faults.push(p.fault);
  }
  if (faults.some((x) => 'command' in x) || Object.values(probes).some((x) => isRecord(x) && 'exec' in x)) {
    f.note([], "commands run in the faultline file's directory (Chaos Toolkit: where `chaos run` runs); relative paths in their arguments are taken from there");
  }
  const spec = draft.data.spec as Record<string, unknown>;
  spec.driver = kubernetes ? 'kubernetes' : 'process';
  if (Object.keys(links).length > 0) {
    spec.services = services;
    spec.links = links;
    if (kubernetes) f.gap(['method'], 'Toxiproxy proxies become links of the process driver, and this experiment needs the kubernetes driver', draft, ['spec', 'links']);
  }
  spec.faults = faults;
  if (Object.keys(targets).length === 0) delete spec.targets;
  if (steadyState.length > 0) {
    f.note(['steady-state-hypothesis'], 'probes are sampled every second for the whole run (Chaos Toolkit checks the hypothesis before and after the method)');
    draft.footer = [
      'Chaos Toolkit judges the hypothesis only before and after the method, so no objective was added.',
      'To judge how fast the service holds again after the faults, for example:',
      'objectives:',
      `  - recovery: { probe: ${steadyState[0]}, within: 30s }`,
    ];
  }
  return { source, drafts: faults.length > 0 ? [draft] : [], mapped: f.mapped, gaps: f.gaps, notes: f.notes };
}

/** Process arguments given as one string, split as Chaos Toolkit does (shell words, no shell). */
export function splitArguments(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      any = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      any = true;
    } else if (/\s/.test(c)) {
      if (cur !== '' || any) out.push(cur);
      cur = '';
      any = false;
    } else {
      cur += c;
    }
  }
  if (cur !== '' || any) out.push(cur);
  return out;
}
