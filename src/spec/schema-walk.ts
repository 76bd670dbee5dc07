// Finds the schema that governs a place in a document, so that messages can say which keys are
// allowed there. Unions are resolved with the data: the branch whose keys best fit the object.
import type { z } from 'zod';
import { isPlainObject, type PathSegment } from './problem.js';

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; getter?: () => z.ZodType; options?: z.ZodType[]; shape?: Record<string, z.ZodType>; valueType?: z.ZodType; element?: z.ZodType };

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema with defaults, optionality and transforms peeled off: what the input must look like. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let guard = 0; guard < 50; guard++) {
    const d = def(s);
    if (WRAPPERS.has(d.type) && d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else if (d.type === 'lazy' && d.getter) s = d.getter();
    else return s;
  }
  return s;
}

export function objectKeys(schema: z.ZodType): string[] | undefined {
  const d = def(unwrap(schema));
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : undefined;
}

export function unionOptions(schema: z.ZodType): z.ZodType[] | undefined {
  const d = def(unwrap(schema));
  return d.type === 'union' ? d.options : undefined;
}

/** Index of the union option that best fits `value`: most keys known, fewest unknown. */
export function bestOption(options: readonly z.ZodType[], value: unknown): number {
  if (!isPlainObject(value)) return 0;
  const given = Object.keys(value);
  let best = 0;
  let bestScore = -Infinity;
  options.forEach((option, i) => {
    const keys = objectKeys(option);
    if (!keys) return;
    const known = given.filter((k) => keys.includes(k)).length;
    const score = known * 2 - (given.length - known);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}

/** The schema for the value at `path` in `data`, following objects, records, arrays and unions. */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[], data: unknown): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  let value = data;
  for (const seg of path) {
    schema = resolveUnion(schema, value);
    const d = def(schema);
    if (d.type === 'object' && d.shape) schema = d.shape[String(seg)];
    else if (d.type === 'record' && d.valueType) schema = d.valueType;
    else if (d.type === 'array' && d.element) schema = d.element;
    else return undefined;
    if (!schema) return undefined;
    value = value !== null && typeof value === 'object' ? (value as Record<PathSegment, unknown>)[seg] : undefined;
  }
  return schema;
}

/** The keys an object at `path` may have, and the keys only its sibling union branches allow. */
export function keysAt(root: z.ZodType, path: readonly PathSegment[], data: unknown, value: unknown): { allowed: string[]; alternatives: string[] } {
  const schema = schemaAt(root, path, data);
  if (!schema) return { allowed: [], alternatives: [] };
  const options = unionOptions(schema);
  if (!options) return { allowed: objectKeys(schema) ?? [], alternatives: [] };
  const chosen = objectKeys(options[bestOption(options, value)]!) ?? [];
  const alternatives = options.flatMap((o) => objectKeys(o) ?? []).filter((k) => !chosen.includes(k));
  return { allowed: chosen, alternatives: [...new Set(alternatives)] };
}

function resolveUnion(schema: z.ZodType, value: unknown): z.ZodType {
  const s = unwrap(schema);
  const options = unionOptions(s);
  return options ? unwrap(options[bestOption(options, value)]!) : s;
}
