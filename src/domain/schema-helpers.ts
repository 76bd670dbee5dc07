// Building blocks shared by the experiment and schedule schemas. The zod schema is the single
// source of truth: TypeScript types are inferred from it, files are validated with it, and the
// published JSON Schema (schema/*.schema.json) is generated from it.
import { z } from 'zod';
import { parseDuration, parsePercent, parseRate } from './units.js';
import { closest } from './suggest.js';

/** Turns a units parser's "number or explanation" into a zod transform that reports the explanation. */
function parsedWith<I>(parse: (input: I) => number | { error: string }) {
  return (input: I, ctx: z.RefinementCtx) => {
    const value = parse(input);
    if (typeof value !== 'number') {
      ctx.addIssue({ code: 'custom', message: value.error });
      return z.NEVER;
    }
    return value;
  };
}

function bareDurationMessage(input: unknown): string {
  if (typeof input !== 'number') return 'expected a duration such as "250ms", "30s" or "2m"';
  if (input < 0) return `a duration cannot be negative (found ${input})`;
  return `expected a duration with a unit, e.g. "${input}ms" or "${input}s" (found the bare number ${input})`;
}

/** A duration string ("250ms", "30s", "2m") parsed to milliseconds. */
export const Duration = z
  .string({ error: (iss) => bareDurationMessage(iss.input) })
  .transform(parsedWith(parseDuration))
  .meta({ description: 'A duration: a number and a unit (ms, s, m, h, d), e.g. "250ms", "30s", "2m", "1m30s".', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$' });

/** A percentage ("99.9%" or 99.9) parsed to a number in [0, 100]. */
export const Percent = z
  .union([z.string(), z.number()])
  .transform(parsedWith(parsePercent))
  .meta({ description: 'A percentage between 0% and 100%, e.g. "99.9%".' });

/** A rate in bytes per second ("1mbit", "512kbit", "10MB"). */
export const Rate = z
  .union([z.string(), z.number()])
  .transform(parsedWith(parseRate))
  .meta({ description: 'A rate per second: "1mbit", "512kbit", "10MB", or a number of bytes.' });

/** A name used to refer to services, targets, probes and faults inside one experiment. */
export const Name = z
  .string()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, 'a name uses letters, digits, ".", "_" and "-", and starts and ends with a letter or digit')
  .max(63);

/** host:port, e.g. "127.0.0.1:7001". */
export const Address = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. "127.0.0.1:7001"')
  .refine((s) => {
    const port = Number(s.slice(s.lastIndexOf(':') + 1));
    return port > 0 && port < 65536;
  }, 'the port must be between 1 and 65535');

export const SIGNALS = [
  'SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGSTOP', 'SIGCONT', 'SIGABRT', 'SIGSEGV', 'SIGPIPE', 'SIGALRM',
] as const;
export const Signal = z.enum(SIGNALS);

/** Marker message a keyed union returns when the object names exactly one known kind. */
export const BRANCH_MARKER = '\u0000branch:';

/**
 * A "keyed" object: exactly one of `kinds` as a key (the kind), plus the `common` fields.
 * `{ kill: { target: a }, at: 2s }` is a fault of kind kill. When the object names one known kind,
 * the spec loader reports that kind's own errors; otherwise the message names the known kinds and
 * suggests the closest one.
 */
export function keyed<K extends Record<string, z.ZodType>, C extends z.ZodRawShape>(what: string, kinds: K, common: C) {
  const names = Object.keys(kinds);
  const branches = names.map((k) => z.strictObject({ [k]: kinds[k]!, ...common }));
  return dispatchByKind(names, branches, z.union(branches as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (iss) => {
      const input = iss.input as unknown;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return `expected a ${what} object with one of: ${names.join(', ')}`;
      }
      const keys = Object.keys(input);
      const present = keys.filter((k) => names.includes(k));
      if (present.length === 1) return `${BRANCH_MARKER}${names.indexOf(present[0]!)}`;
      if (present.length > 1) return `a ${what} has exactly one kind, but this one names ${present.map((p) => `"${p}"`).join(' and ')}`;
      const unknown = keys.filter((k) => !(k in common));
      const guess = unknown.map((k) => closest(k, names)).find(Boolean);
      const found = unknown.length ? `unknown ${what} kind "${unknown[0]}"` : `no ${what} kind given`;
      return `${found}${guess ? `, did you mean "${guess}"?` : ''} (known: ${names.join(', ')})`;
    },
  })) as unknown as z.ZodType<KeyedOutput<K, C>, KeyedInput<K, C>>;
}

type Run = (payload: { value: unknown; issues: unknown[] }, ctx: unknown) => { issues: unknown[] } | Promise<unknown>;

/**
 * Speed only: a union tries its branches in order, so a fault of the 15th kind was parsed 15 times,
 * which made a cold `faultline validate` of 100 files spend most of its time here. An object that
 * names exactly one kind can only match that kind's branch (branches are strict and require their
 * kind), so that branch is tried first; if it fails, the union runs as before, so results and error
 * messages are exactly the union's. Left alone if zod's internals ever look different.
 */
function dispatchByKind<U extends z.ZodType>(names: string[], branches: z.ZodType[], union: U): U {
  const internals = (union as unknown as { _zod: { run?: Run; parse?: Run } })._zod;
  const unionRun = internals.run;
  const branchRuns = branches.map((b) => (b as unknown as { _zod: { run?: Run } })._zod);
  if (typeof unionRun !== 'function' || internals.run !== internals.parse) return union;
  const dispatch: Run = (payload, ctx) => {
    const input = payload.value;
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
      let index = -1;
      for (const key of Object.keys(input)) {
        const i = names.indexOf(key);
        if (i >= 0) {
          if (index >= 0) return unionRun(payload, ctx);
          index = i;
        }
      }
      const run = index >= 0 ? branchRuns[index]!.run : undefined;
      if (run) {
        const attempt = run({ value: input, issues: [] }, ctx);
        if (!(attempt instanceof Promise) && attempt.issues.length === 0) return attempt;
      }
    }
    return unionRun(payload, ctx);
  };
  internals.run = dispatch;
  internals.parse = dispatch;
  return union;
}

type Simplify<T> = { [P in keyof T]: T[P] } & {};
// With no common fields, zod's object type is an index signature of `never`, which would make
// every kind's object unwritable as a literal; use an empty type instead.
type CommonOutput<C extends z.ZodRawShape> = keyof C extends never ? unknown : z.output<z.ZodObject<C>>;
type CommonInput<C extends z.ZodRawShape> = keyof C extends never ? unknown : z.input<z.ZodObject<C>>;
type KeyedOutput<K extends Record<string, z.ZodType>, C extends z.ZodRawShape> = {
  [P in keyof K]: Simplify<{ [Q in P]: z.output<K[P]> } & CommonOutput<C>>;
}[keyof K];
type KeyedInput<K extends Record<string, z.ZodType>, C extends z.ZodRawShape> = {
  [P in keyof K]: Simplify<{ [Q in P]: z.input<K[P]> } & CommonInput<C>>;
}[keyof K];

/** The kind of a keyed object: its one key that is not a common field. */
export function kindOf<T extends object>(value: T, common: readonly string[]): string {
  const k = Object.keys(value).find((key) => !common.includes(key));
  if (!k) throw new Error('keyed object without a kind');
  return k;
}
