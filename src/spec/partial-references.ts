// Reference checks on a file that failed the schema, so one `validate` reports both kinds of
// problem. The parts of the spec that pass the schema on their own (each target, probe, service and
// link; each fault, objective and abort condition) are checked as usual; a part that failed is left
// out, and a reference to it by name is not reported (the schema problem already is). Best effort:
// where the structure is too broken to say anything reliable, it says nothing.
import type { z } from 'zod';
import { AbortCondition, ExperimentSpec, FAULT_COMMON, Fault, Link, Objective, Observer, Probe, Service, Target, type Experiment } from '../domain/experiment.js';
import { Name } from '../domain/schema-helpers.js';
import { faultKind } from '../domain/fault-kinds/fault-names.js';
import { checkReferences } from './check-references.js';
import { isPlainObject, valueAt, type Problem } from './problem.js';

const RECORDS: Record<string, z.ZodType> = { targets: Target, probes: Probe, services: Service, links: Link, observers: Observer };
const LISTS: Record<string, z.ZodType> = { faults: Fault, objectives: Objective, abort: AbortCondition, steadyState: Name };

export function partialReferenceProblems(data: unknown): Problem[] {
  const raw = isPlainObject(data) && isPlainObject(data.spec) ? data.spec : undefined;
  if (!raw || !ExperimentSpec.shape.driver.safeParse(raw.driver).success) return [];
  const spec: Record<string, unknown> = {};
  /** Names of entries that failed the schema: a reference to one of them is not an unknown name. */
  const broken = new Set<string>();
  /** Per list, the position in the file of each item kept. */
  const positions: Record<string, number[]> = {};
  for (const [key, schema] of Object.entries(ExperimentSpec.shape) as [string, z.ZodType][]) {
    const value = raw[key];
    if (key in RECORDS) {
      const kept: Record<string, unknown> = {};
      if (isPlainObject(value)) {
        for (const [name, entry] of Object.entries(value)) {
          const parsed = RECORDS[key]!.safeParse(entry);
          if (parsed.success && Name.safeParse(name).success) kept[name] = parsed.data;
          else broken.add(name);
        }
      } else if (value !== undefined) return [];
      spec[key] = value === undefined && (key === 'services' || key === 'links') ? undefined : kept;
    } else if (key in LISTS) {
      if (value !== undefined && !Array.isArray(value)) return [];
      const items = (value ?? []) as unknown[];
      const kept: unknown[] = [];
      positions[key] = [];
      items.forEach((item, i) => {
        const parsed = LISTS[key]!.safeParse(item);
        if (parsed.success) {
          kept.push(parsed.data);
          positions[key]!.push(i);
        } else if (key === 'faults') broken.add(rawFaultName(item, i));
      });
      spec[key] = kept;
    } else {
      const parsed = schema.safeParse(value);
      const fallback = schema.safeParse(undefined);
      // A section that failed is checked as if it were absent; its own problem is already reported.
      spec[key] = parsed.success ? parsed.data : fallback.success ? fallback.data : undefined;
      if (!parsed.success && (key === 'docker' || key === 'kubernetes') && value !== undefined) spec[key] = {};
    }
  }
  // A link that failed the schema may be the one a fault's target reaches: checking without it would be wrong.
  if (spec.driver === 'process' && [...broken].some((n) => isPlainObject(raw.links) && n in raw.links)) return [];
  // Positional default names ("kill-3") must stay those of the file, not of the kept list.
  const faults = spec.faults as Record<string, unknown>[];
  if (faults.length < ((raw.faults as unknown[] | undefined) ?? []).length) {
    spec.faults = faults.map((f, j) => (f.name === undefined ? { ...f, name: `${faultKind(f as never)}-${positions.faults![j]! + 1}` } : f));
  }
  let problems: Problem[];
  try {
    problems = checkReferences({ spec } as unknown as Experiment);
  } catch {
    return [];
  }
  return problems
    .map((p) => {
      const [root, section, index, ...rest] = p.path;
      if (root !== 'spec' || typeof section !== 'string' || typeof index !== 'number' || !positions[section]) return p;
      return { ...p, path: [root, section, positions[section]![index]!, ...rest] };
    })
    .filter((p) => {
      const named = valueAt(data, p.path);
      return !(typeof named === 'string' && broken.has(named));
    });
}

function rawFaultName(item: unknown, i: number): string {
  if (!isPlainObject(item)) return `fault-${i + 1}`;
  if (typeof item.name === 'string') return item.name;
  const kind = Object.keys(item).find((k) => !(k in FAULT_COMMON));
  return `${kind ?? 'fault'}-${i + 1}`;
}
