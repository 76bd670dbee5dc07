// Checks that need the whole experiment, run after the schema has passed: every name refers to
// something that exists, every fault, probe and selector field is one the chosen driver supports,
// and every fault is either instant or held for a duration. Pure: it returns problems with paths;
// the loader locates them in the file.
import { CAPABILITIES } from '../domain/capabilities.js';
import { FAULT_SUPPORT, supportedFaults } from '../drivers/fault-support.js';
import { DEFAULT_MAX_HOLD_MS, PROBE_COMMON, isExternal, type Experiment, type ExperimentSpec, type FaultKind, type FaultSpec, type ProbeKind, type ProbeSpec } from '../domain/experiment.js';
import { faultKindDef, isInstant } from '../domain/fault-kinds/catalog.js';
import type { FaultKindDef } from '../domain/fault-kinds/define.js';
import { faultKind, faultNames, faultParams } from '../domain/fault-kinds/fault-names.js';
import { interferingFaults } from '../domain/fault-interference.js';
import { countName } from '../domain/count-objective.js';
import type { DriverName } from '../domain/model.js';
import { closest } from '../domain/suggest.js';
import { formatDuration, parseAddress } from '../domain/units.js';
import { checkWorkloads } from './check-workloads.js';
import type { PathSegment, Problem } from './problem.js';

const PROBE_COMMON_KEYS = Object.keys(PROBE_COMMON);
/** Which probe kinds a target's `where` may use; the process driver selects by name only. */
const WHERE_PROBES: Record<DriverName, readonly string[]> = { process: [], docker: ['exec', 'http'], kubernetes: ['exec', 'http'] };

export function probeKind(probe: ProbeSpec): ProbeKind {
  return Object.keys(probe).find((k) => !PROBE_COMMON_KEYS.includes(k)) as ProbeKind;
}

export function checkReferences(experiment: Experiment): Problem[] {
  const c = new Checker(experiment.spec);
  c.driverSections();
  c.services();
  c.targets();
  c.probes();
  c.faults();
  c.probeReferences();
  c.counts();
  c.detections();
  return [...c.problems, ...checkWorkloads(experiment.spec)];
}

class Checker {
  readonly problems: Problem[] = [];
  private readonly driver: DriverName;
  private readonly targetNames: string[];
  private readonly serviceNames: string[];
  private readonly probeNames: string[];

  constructor(private readonly spec: ExperimentSpec) {
    this.driver = spec.driver;
    this.targetNames = Object.keys(spec.targets);
    this.serviceNames = Object.keys(spec.services ?? {});
    this.probeNames = Object.keys(spec.probes);
  }

  private report(path: PathSegment[], message: string, atKey = false): void {
    this.problems.push(atKey ? { path: ['spec', ...path], message, atKey } : { path: ['spec', ...path], message });
  }

  /** "unknown target "x", did you mean "y"? (spec.targets has: ...)" */
  private unknown(what: string, name: string, known: readonly string[], where: string): string {
    const guess = closest(name, known);
    const list = known.length ? `(${where} has: ${known.join(', ')})` : `(${where} is empty)`;
    return `unknown ${what} "${name}"${guess ? `, did you mean "${guess}"?` : ''} ${list}`;
  }

  private unsupported(what: string, kind: string, supported: readonly string[]): string {
    return `${what} "${kind}" is not supported by the ${this.driver} driver (supported: ${supported.length ? supported.join(', ') : 'none'})`;
  }

  detections(): void {
    const observers = Object.keys(this.spec.observers);
    this.spec.objectives.forEach((objective, i) => {
      if (!('detection' in objective) || objective.detection.by === 'human') return;
      const name = objective.detection.observer!;
      if (!observers.includes(name)) this.report(['objectives', i, 'detection', 'observer'], this.unknown('observer', name, observers, 'spec.observers'));
    });
  }

  driverSections(): void {
    const only: [keyof ExperimentSpec, DriverName][] = [['services', 'process'], ['links', 'process'], ['docker', 'docker'], ['kubernetes', 'kubernetes']];
    for (const [key, driver] of only) {
      if (this.spec[key] !== undefined && this.driver !== driver) {
        this.report([key], `"${key}" is only for the ${driver} driver, but this experiment uses the ${this.driver} driver`, true);
      }
    }
  }

  services(): void {
    if (this.driver !== 'process') return;
    const listening: { name: string; address: string }[] = [];
    for (const [name, link] of Object.entries(this.spec.links ?? {})) {
      if (link.from !== undefined && !this.serviceNames.includes(link.from)) {
        this.report(['links', name, 'from'], this.unknown('service', link.from, this.serviceNames, 'spec.services'));
      }
      if (!this.serviceNames.includes(link.to)) this.report(['links', name, 'to'], this.unknown('service', link.to, this.serviceNames, 'spec.services'));
      const clash = listening.find((other) => sameListener(other.address, link.listen));
      if (clash) this.report(['links', name, 'listen'], `link "${name}" listens on ${link.listen}, but link "${clash.name}" already listens on ${clash.address}`);
      listening.push({ name, address: link.listen });
    }
  }

  targets(): void {
    const supported = CAPABILITIES[this.driver].selector;
    for (const [name, target] of Object.entries(this.spec.targets)) {
      for (const [field, value] of Object.entries(target.selector)) {
        if (value !== undefined && !supported.includes(field)) {
          this.report(['targets', name, 'selector', field], `selector field "${field}" is not supported by the ${this.driver} driver (supported: ${supported.join(', ')})`, true);
        }
      }
      if (this.driver === 'process') {
        (target.selector.names ?? []).forEach((service, j) => {
          if (!this.serviceNames.includes(service)) {
            this.report(['targets', name, 'selector', 'names', j], this.unknown('service', service, this.serviceNames, 'spec.services'));
          }
        });
      }
      if (target.where !== undefined) {
        const kind = probeKind(target.where as ProbeSpec);
        const allowed = WHERE_PROBES[this.driver];
        if (allowed.length === 0) {
          this.report(['targets', name, 'where'], `"where" is not supported by the ${this.driver} driver: it selects services by name only, so there are no candidates to filter`, true);
        } else if (!allowed.includes(kind)) {
          this.report(['targets', name, 'where', kind], this.unsupported('a "where" probe of kind', kind, allowed), true);
        }
      }
    }
  }

  probes(): void {
    const supported = CAPABILITIES[this.driver].probes;
    for (const [name, probe] of Object.entries(this.spec.probes)) {
      const kind = probeKind(probe);
      if (!supported.includes(kind)) {
        this.report(['probes', name, kind], this.unsupported('probe', kind, supported), true);
        continue;
      }
      if (kind === 'exec') {
        const target = (probe as { exec: { target?: string } }).exec.target;
        if (target === undefined) continue;
        if (this.driver === 'process') this.report(['probes', name, 'exec', 'target'], `"target" is not supported by the process driver: exec probes run on the host`, true);
        else if (!this.targetNames.includes(target)) this.report(['probes', name, 'exec', 'target'], this.unknown('target', target, this.targetNames, 'spec.targets'));
      }
    }
  }

  faults(): void {
    const supported = supportedFaults(this.driver);
    const names = faultNames(this.spec);
    const firstIndex = new Map<string, number>();
    this.spec.faults.forEach((fault, i) => {
      const kind = faultKind(fault);
      const params = (fault as unknown as Record<string, Record<string, unknown>>)[kind]!;
      const name = names[i]!;
      const earlier = firstIndex.get(name);
      if (earlier === undefined) firstIndex.set(name, i);
      else {
        const defaulted = fault.name === undefined || this.spec.faults[earlier]!.name === undefined;
        const why = defaulted ? ' (a fault without "name" is called "<kind>-<position>")' : '';
        this.report(fault.name === undefined ? ['faults', i] : ['faults', i, 'name'], `duplicate fault name "${name}": spec.faults[${earlier}] is also called "${name}"${why}; fault names must be unique`);
      }

      if (!supported.includes(kind)) this.report(['faults', i, kind], this.unsupported('fault', kind, supported), true);

      const instant = isInstant(kind, params);
      if (kind === 'command') {
        if (instant && fault.for !== undefined) this.report(['faults', i, 'for'], `a "command" fault without "revert" is instant, so it takes no "for" (remove it, or add "revert" to hold it)`, true);
        if (!instant && fault.for === undefined) this.report(['faults', i], `a "command" fault with "revert" is held and then reverted, so it needs "for", e.g. for: 10s`);
      } else {
        if (instant && fault.for !== undefined) this.report(['faults', i, 'for'], `"${kind}" is an instant fault, so it takes no "for" (remove it; use "at" to choose when it happens)`, true);
        if (!instant && fault.for === undefined) this.report(['faults', i], `a "${kind}" fault is held and then reverted, so it needs "for", e.g. for: 10s`);
      }
      const maxHold = this.spec.safety.maxHold;
      if (!instant && fault.for !== undefined && fault.for > maxHold) {
        const raised = this.spec.safety.maxHold === DEFAULT_MAX_HOLD_MS ? `the default ${formatDuration(maxHold)}` : formatDuration(maxHold);
        this.report(['faults', i, 'for'], `held for ${formatDuration(fault.for)}, longer than safety.maxHold (${raised}); if that is meant and not a typo, raise it in the file: spec.safety.maxHold: ${formatDuration(fault.for)}`);
      }

      if (typeof params.target === 'string' && !this.targetNames.includes(params.target)) {
        this.report(['faults', i, kind, 'target'], this.unknown('target', params.target, this.targetNames, 'spec.targets'));
      } else if (typeof params.target === 'string' && this.driver === 'process' && FAULT_SUPPORT.process[kind]?.throughLinks) {
        this.linkFaultReachesALink(i, kind, params.target);
      } else if (typeof params.target === 'string' && this.driver === 'process' && supported.includes(kind)) {
        this.processFaultSparesExternal(i, kind, params.target);
      }
      const noEffect = changesNothing(kind, params);
      if (noEffect) this.report(['faults', i, kind, noEffect.field], `this fault would change nothing: ${noEffect.why}`);
      if (kind === 'partition') this.partition(i, params as { from: string; to: string; direction: string });
      if (Array.isArray(params.peers)) this.peers(i, kind, params.peers as string[]);
    });
    this.interference(supported);
  }

  /**
   * Faults that name the same target and change the same thing there while both are in place. Only
   * what the file shows: `plan` and `run` check again on the selected victims, which may coincide
   * across targets.
   */
  private interference(supported: readonly FaultKind[]): void {
    const named = [...this.targetNames, ...(this.driver === 'process' ? this.serviceNames : [])];
    const groups = new Map(named.map((name) => [name, [{ driver: this.driver, group: name, id: name, name: `target "${name}"`, meta: {} }]]));
    const names = faultNames(this.spec);
    const scheduled = this.spec.faults.map((fault, i) => {
      const kind = faultKind(fault);
      const def = faultKindDef(kind) as unknown as FaultKindDef;
      const known = supported.includes(kind) && def.victims !== undefined;
      return {
        name: names[i]!,
        at: fault.at,
        for: fault.for,
        touches: known ? FAULT_SUPPORT[this.driver][kind]!.touches : [],
        victims: known ? def.victims!(faultParams(fault), groups, this.driver) : [],
      };
    });
    for (const found of interferingFaults(scheduled)) this.report(['faults', found.index], found.message);
  }

  private peers(i: number, kind: string, peers: string[]): void {
    if (this.driver !== 'docker') {
      this.report(['faults', i, kind, 'peers'], `"peers" is supported by the docker driver only (this experiment uses the ${this.driver} driver)`, true);
      return;
    }
    peers.forEach((peer, j) => {
      if (!this.targetNames.includes(peer)) this.report(['faults', i, kind, 'peers', j], this.unknown('target', peer, this.targetNames, 'spec.targets'));
    });
  }

  private partition(i: number, p: { from: string; to: string; direction: string }): void {
    if (p.from === p.to) {
      this.report(['faults', i, 'partition', 'to'], `a partition from "${p.from}" to itself would change nothing (a target cannot be cut off from itself); name two different groups`);
      return;
    }
    const groups: Record<'from' | 'to', string[] | undefined> = { from: undefined, to: undefined };
    for (const side of ['from', 'to'] as const) {
      const name = p[side];
      if (this.targetNames.includes(name)) groups[side] = this.servicesOf(name);
      else if (this.driver === 'process' && this.serviceNames.includes(name)) groups[side] = [name];
      else if (this.driver === 'process') {
        const guess = closest(name, [...this.targetNames, ...this.serviceNames]);
        this.report(['faults', i, 'partition', side], `"${name}" is neither a target nor a service${guess ? `, did you mean "${guess}"?` : ''} (targets: ${this.targetNames.join(', ') || 'none'}; services: ${this.serviceNames.join(', ') || 'none'})`);
      } else {
        this.report(['faults', i, 'partition', side], this.unknown('target', name, this.targetNames, 'spec.targets'));
      }
    }
    if (this.driver !== 'process' || !groups.from || !groups.to) return;
    const a = groups.from;
    const b = groups.to;
    const both = a.filter((service) => b.includes(service));
    if (both.length > 0) {
      this.report(['faults', i, 'partition'], `${both.join(', ')} ${both.length === 1 ? 'is' : 'are'} in both "${p.from}" and "${p.to}", so would be partitioned from ${both.length === 1 ? 'itself' : 'themselves'}; make the groups disjoint`);
      return;
    }
    const cut = Object.values(this.spec.links ?? {}).filter((l) => l.from !== undefined && ((p.direction !== 'from' && a.includes(l.from) && b.includes(l.to)) || (p.direction !== 'to' && b.includes(l.from) && a.includes(l.to))));
    if (cut.length === 0) {
      this.report(['faults', i, 'partition'], `this partition would change nothing: no link in spec.links goes between "${p.from}" and "${p.to}" in direction "${p.direction}" (on the process driver a partition cuts links)`);
    }
  }

  private linkFaultReachesALink(i: number, kind: string, target: string): void {
    const services = this.servicesOf(target);
    if (!services) return;
    const reached = Object.values(this.spec.links ?? {}).some((l) => services.includes(l.to));
    if (!reached) {
      this.report(['faults', i, kind, 'target'], `a "${kind}" fault on the process driver acts on links, but no link in spec.links has "to" among the services of target "${target}" (${services.join(', ') || 'none'}); add a link or choose another target`);
    }
  }

  /** A fault that acts on a process cannot act on a server faultline does not run. */
  private processFaultSparesExternal(i: number, kind: string, target: string): void {
    const services = this.spec.services ?? {};
    const external = (this.servicesOf(target) ?? []).filter((name) => services[name] !== undefined && isExternal(services[name]));
    if (external.length === 0) return;
    const throughLinks = supportedFaults('process').filter((k) => FAULT_SUPPORT.process[k]?.throughLinks);
    this.report(
      ['faults', i, kind, 'target'],
      `a "${kind}" fault acts on a process, but target "${target}" selects ${external.map((n) => `"${n}"`).join(', ')}, declared external: faultline does not run ${external.length === 1 ? 'it' : 'them'}; choose a target of started services, or use a fault that acts through links (${throughLinks.join(', ')})`,
    );
  }

  /** The services a process target names; undefined when unknown (other drivers select at run time). */
  private servicesOf(target: string): string[] | undefined {
    if (this.driver !== 'process') return undefined;
    return this.spec.targets[target]?.selector.names ?? [];
  }

  /** A count objective counts an existing target with a `where` its driver can run, under a name no probe or other count has. */
  counts(): void {
    const taken = new Set(this.probeNames);
    this.spec.objectives.forEach((objective, i) => {
      if (!('count' in objective)) return;
      const o = objective.count;
      if (!this.targetNames.includes(o.target)) this.report(['objectives', i, 'count', 'target'], this.unknown('target', o.target, this.targetNames, 'spec.targets'));
      const kind = probeKind(o.where as ProbeSpec);
      if (!WHERE_PROBES[this.driver].includes(kind)) {
        this.report(['objectives', i, 'count', 'where'], `a count objective runs its "where" against each target, which the ${this.driver} driver cannot do${WHERE_PROBES[this.driver].length ? ` with "${kind}" (supported: ${WHERE_PROBES[this.driver].join(', ')})` : ''}`);
      }
      const name = countName(o);
      if (taken.has(name)) this.report(['objectives', i, 'count', ...(o.name ? ['name'] : ['target'])], `the count objective's name "${name}" is already a probe or another count's name; give it a distinct "name"`);
      taken.add(name);
    });
  }

  probeReferences(): void {
    const check = (path: PathSegment[], name: string) => {
      if (!this.probeNames.includes(name)) this.report(path, this.unknown('probe', name, this.probeNames, 'spec.probes'));
    };
    this.spec.steadyState.forEach((name, i) => check(['steadyState', i], name));
    const faults = [...new Set(faultNames(this.spec))];
    this.spec.objectives.forEach((objective, i) => {
      const [kind, body] = Object.entries(objective)[0] as [string, { probe?: string; after?: string }];
      if (body.probe !== undefined) check(['objectives', i, kind, 'probe'], body.probe);
      if (body.after !== undefined && !faults.includes(body.after)) {
        this.report(['objectives', i, kind, 'after'], this.unknown('fault', body.after, faults, 'spec.faults'));
      }
    });
    this.spec.abort.forEach((condition, i) => {
      if ('probe' in condition) check(['abort', i, 'probe'], condition.probe);
    });
  }
}

/**
 * Why a fault's parameters make it a no-op, or undefined. Only what the file alone proves: a
 * bandwidth limit above the link's real speed, or a CPU limit above the host's cores, also changes
 * nothing, but that depends on the machine and is not knowable here.
 */
function changesNothing(kind: FaultKind, params: Record<string, unknown>): { field: string; why: string } | undefined {
  if (kind === 'latency' && params.delay === 0 && params.jitter === 0) return { field: 'delay', why: 'a latency with delay 0ms and no jitter adds no delay (write e.g. delay: 200ms)' };
  if (kind === 'loss' && params.percent === 0) return { field: 'percent', why: 'a loss of 0% loses nothing (write e.g. percent: 10%)' };
  return undefined;
}

/** Two listeners clash on the same port when their hosts are equal or either is a wildcard. */
function sameListener(a: string, b: string): boolean {
  const split = (address: string) => {
    const { host, port } = parseAddress(address);
    const h = host.toLowerCase();
    return { host: h === 'localhost' ? '127.0.0.1' : h, port };
  };
  const x = split(a);
  const y = split(b);
  const wildcard = (h: string) => h === '0.0.0.0' || h === '::';
  return x.port === y.port && (x.host === y.host || wildcard(x.host) || wildcard(y.host));
}
