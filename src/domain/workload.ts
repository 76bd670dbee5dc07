// The `spec.workloads` format: clients faultline drives for the whole run, recording every
// operation in the history. Each client kind (http, redis, postgres, exec) is one entry of
// WRITE_CLIENTS / READ_CLIENTS; its runtime lives in src/workloads/clients/.
import { z } from 'zod';
import { Duration, keyed } from './schema-helpers.js';
import { closest } from './suggest.js';

const d = (text: string) => ({ description: text });

// ---------------------------------------------------------------- templates

/** Variables a write template may use: a unique key, a unique value, the operation's sequence number. */
export const WRITE_VARIABLES = ['key', 'value', 'seq'] as const;
/** A read looks a key up: the value it should find is what it checks, so it cannot be sent. */
export const READ_VARIABLES = ['key', 'seq'] as const;
export type TemplateVariable = (typeof WRITE_VARIABLES)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variables a template names, in order of appearance. */
export function templateVariables(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** A template split once into literal parts and variables, so rendering an operation is one join. */
export function compileTemplate(text: string): (vars: Record<TemplateVariable, string>) => string {
  const parts: (string | TemplateVariable)[] = [];
  const isVar: boolean[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, m.index), m[1] as TemplateVariable);
    isVar.push(false, true);
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return () => text;
  parts.push(text.slice(last));
  isVar.push(false);
  return (vars) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) out += isVar[i] ? vars[parts[i] as TemplateVariable] : parts[i];
    return out;
  };
}

function templateProblem(text: string, known: readonly string[]): string | undefined {
  for (const name of templateVariables(text)) {
    if (known.includes(name)) continue;
    if (name === 'value' && !known.includes('value')) return `{{value}} cannot be used in a read: a read looks the key up, and what it finds is compared with the value written (known here: ${known.map((k) => `{{${k}}}`).join(', ')})`;
    const guess = closest(name, known);
    return `unknown template variable "{{${name}}}"${guess ? `, did you mean "{{${guess}}}"?` : ''} (known: ${known.map((k) => `{{${k}}}`).join(', ')})`;
  }
  return undefined;
}

const template = (known: readonly string[], minLength = 0) =>
  z.string().min(minLength).superRefine((text, ctx) => {
    const problem = templateProblem(text, known);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A URL template must be an absolute http(s) URL once its variables are filled in. */
const urlTemplate = (known: readonly string[]) =>
  template(known).superRefine((text, ctx) => {
    try {
      const url = new URL(text.replace(PLACEHOLDER, 'x'));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `expected an http:// or https:// URL (found ${url.protocol})` });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected an absolute URL, e.g. "http://127.0.0.1:7001/kv/{{key}}"' });
    }
  });

/** A connection URL whose scheme must be one of `schemes` (checked before the run: a typo is bad input, not an outage). */
const storeUrl = (schemes: readonly string[], example: string) =>
  z.string().superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a URL: expected e.g. "${example}"` });
      return;
    }
    if (!schemes.includes(url.protocol.replace(/:$/, ''))) ctx.addIssue({ code: 'custom', message: `expected a ${schemes.map((s) => `${s}://`).join(' or ')} URL, e.g. "${example}" (found ${url.protocol}//)` });
    else if (!url.hostname) ctx.addIssue({ code: 'custom', message: `the URL names no host: expected e.g. "${example}"` });
  });

// ---------------------------------------------------------------- rate

const RATE_UNITS: Record<string, number> = { s: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };

/** Operations per second from "200/s", "600/m" or "36/h". */
export function parseOpsRate(text: string): number | { error: string } {
  const m = /^(\d+(?:\.\d+)?)\s*\/\s*(s|m|min|h)$/.exec(text.trim());
  if (!m) return { error: `"${text}" is not a rate: write operations per unit of time, e.g. "200/s", "600/m"` };
  const perSecond = Number(m[1]) * RATE_UNITS[m[2]!]!;
  if (!(perSecond > 0)) return { error: `a workload rate must be above 0 (found "${text}"): to run no operations, remove the workload` };
  if (perSecond > 1_000_000) return { error: `a workload rate is at most 1000000/s (found "${text}")` };
  return perSecond;
}

const OpsRate = z
  .string({ error: 'expected a rate such as "200/s"' })
  .transform((text, ctx) => {
    const rate = parseOpsRate(text);
    if (typeof rate === 'number') return rate;
    ctx.addIssue({ code: 'custom', message: rate.error });
    return z.NEVER;
  })
  .meta({ description: 'Operations started per second, on schedule whatever the replies do (open model): "200/s", "600/m".', pattern: '^\\d+(\\.\\d+)?\\s*/\\s*(s|m|min|h)$' });

// ---------------------------------------------------------------- clients

const Status = z.int().min(100).max(599);
const httpClient = (known: readonly string[], method: 'PUT' | 'GET') =>
  z.strictObject({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']).default(method).meta(d(`HTTP method. Default ${method}.`)),
    url: urlTemplate(known).meta(d('Absolute URL; may name template variables, e.g. "http://127.0.0.1:7001/kv/{{key}}".')),
    headers: z.record(z.string(), template(known)).optional().meta(d('Request headers; values may name template variables.')),
    body: template(known).optional().meta(d('Request body; may name template variables, e.g. "{{value}}".')),
    expect: z
      .strictObject({ status: z.union([Status, z.array(Status).min(1)]).optional().meta(d('Accepted status code(s). Default: any 2xx.')) })
      .default({})
      .meta(d('What counts as acknowledged. Any other reply is a failure.')),
  });

const Table = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, 'a table name uses letters, digits and "_" (optionally schema.table)')
  .max(127);

const RedisClient = z.strictObject({
  url: storeUrl(['redis', 'rediss'], 'redis://127.0.0.1:6379').meta(d('The Redis server, e.g. "redis://127.0.0.1:6379" or "redis://:password@host:6379/0". Writes are SET key value, reads GET key.')),
});

const PostgresClient = z.strictObject({
  url: storeUrl(['postgres', 'postgresql'], 'postgres://user:password@127.0.0.1:5432/db').meta(d('The PostgreSQL server, e.g. "postgres://user:password@127.0.0.1:5432/db".')),
  table: Table.default('faultline_writes').meta(d('Table written to (created if missing: key text primary key, value text, written_at timestamptz). Writes INSERT a row, reads SELECT it by key. Default faultline_writes.')),
});

const execClient = (known: readonly string[]) =>
  z.strictObject({
    command: z.array(template(known, 1)).min(1).meta(d('Program and arguments, run on the host for each operation; arguments may name template variables. For low rates: a process per operation.')),
  });

export const WRITE_CLIENTS = {
  http: httpClient(WRITE_VARIABLES, 'PUT'),
  redis: RedisClient,
  postgres: PostgresClient,
  exec: execClient(WRITE_VARIABLES),
};
export const READ_CLIENTS = {
  http: httpClient(READ_VARIABLES, 'GET'),
  redis: RedisClient,
  postgres: PostgresClient,
  exec: execClient(READ_VARIABLES),
};
export type ClientKind = keyof typeof WRITE_CLIENTS;
export const CLIENT_KINDS = Object.keys(WRITE_CLIENTS) as ClientKind[];

const timeout = Duration.refine((ms) => ms > 0, 'a timeout must be above 0')
  .default(1000)
  .meta(d('An operation without an answer after this long is recorded "unknown": it may or may not have been applied. Default 1s.'));

/** Where the value is in a read's reply (http, exec); absent means the whole reply. */
export const ReadValue = z
  .union([
    z.strictObject({ body: z.literal(true).meta(d('The whole body (or standard output) is the value.')) }),
    z.strictObject({ json: z.string().regex(/^\$(\.[A-Za-z0-9_-]+|\[\d+\])*$/, 'expected a JSON path such as "$.value" or "$.items[0].value"').meta(d('A JSON path into the body, e.g. "$.value".')) }),
  ])
  .default({ body: true });

export const WRITE_COMMON = { timeout };
export const READ_COMMON = {
  timeout,
  value: ReadValue.meta(d('http and exec: where the value is in the reply: { body: true } (default) or { json: "$.value" }. A 404, an empty value or a missing JSON field means "absent".')),
};

export const WorkloadWrite = keyed('client', WRITE_CLIENTS, WRITE_COMMON);
export const WorkloadRead = keyed('client', READ_CLIENTS, READ_COMMON);

export const FinalReadSettings = z.strictObject({
  within: Duration.refine((ms) => ms > 0, '"within" must be above 0').default(30_000).meta(d('How long the final read-back may take, retries included, while the store comes back. A key still unread then is recorded as a read error. Default 30s.')),
  concurrency: z.int().min(1).max(1024).default(16).meta(d('Reads in flight at once during the final read-back. Default 16.')),
});

export const Workload = z.strictObject({
  rate: OpsRate,
  maxInFlight: z.int().min(1).max(100_000).default(64).meta(d('Operations outstanding at once. One that cannot start on schedule is recorded "dropped", never delayed. Default 64.')),
  write: WorkloadWrite.meta(d('How one write is made. Each write gets a unique {{key}} and {{value}} and its {{seq}}.')),
  read: WorkloadRead.optional().meta(d('How one key is read back (needed by durability objectives): after the recovery window, every acknowledged and every unknown write is read back.')),
  finalRead: FinalReadSettings.default({ within: 30_000, concurrency: 16 }).meta(d('Bounds of the final read-back.')),
});

export type WorkloadSpec = z.output<typeof Workload>;
export type WorkloadWriteSpec = z.output<typeof WorkloadWrite>;
export type WorkloadReadSpec = z.output<typeof WorkloadRead>;
export type ReadValueSpec = z.output<typeof ReadValue>;
export type WriteClientParams<K extends ClientKind> = z.output<(typeof WRITE_CLIENTS)[K]>;
export type ReadClientParams<K extends ClientKind> = z.output<(typeof READ_CLIENTS)[K]>;
