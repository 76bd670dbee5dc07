// Chaos Toolkit's `configuration` and `secrets`, and its "${name}" substitution. Where faultline
// reads "${env:NAME}" itself when it runs (headers, bodies, commands), an environment value stays
// a reference; elsewhere (URLs, selectors, numbers) it is resolved now, from the environment or the
// value's default. A secret is never written in clear: it becomes "${env:...}" or is not imported.
import { isRecord } from './values.js';

type Entry =
  | { kind: 'value'; value: unknown }
  | { kind: 'env'; key: string; default?: unknown; secret: boolean }
  | { kind: 'inline-secret'; variable: string }
  | { kind: 'unsupported'; type: string };

export type Substituted = { ok: true; value: unknown; notes: string[] } | { ok: false; reason: string };

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export class Substitution {
  private readonly entries = new Map<string, Entry>();

  constructor(configuration: unknown, secrets: unknown, private readonly env: Readonly<Record<string, string | undefined>>) {
    if (isRecord(configuration)) {
      for (const [name, v] of Object.entries(configuration)) this.entries.set(name, entryOf(v, false, name));
    }
    if (isRecord(secrets)) {
      for (const [scope, values] of Object.entries(secrets)) {
        if (!isRecord(values)) continue;
        for (const [name, v] of Object.entries(values)) {
          const e = entryOf(v, true, name);
          this.entries.set(name, e.kind === 'value' ? { kind: 'inline-secret', variable: `${scope}_${name}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_') } : e);
        }
      }
    }
  }

  /** `value` with every "${name}" replaced; `runtimeEnv`: faultline reads "${env:...}" here when it runs. */
  apply(value: unknown, runtimeEnv: boolean): Substituted {
    if (typeof value !== 'string' || !new RegExp(REF.source).test(value)) return { ok: true, value, notes: [] };
    const whole = new RegExp(`^${REF.source}$`).exec(value);
    const notes: string[] = [];
    let failure: string | undefined;
    const one = (name: string): unknown => {
      const e = this.entries.get(name);
      if (!e) return void (failure ??= `"\${${name}}" names no configuration or secret of the experiment`);
      switch (e.kind) {
        case 'value':
          return e.value;
        case 'unsupported':
          return void (failure ??= `"\${${name}}" is a configuration value of type ${e.type}, which faultline cannot read`);
        case 'inline-secret':
          if (!runtimeEnv) return void (failure ??= `"\${${name}}" is a secret, and it is used where faultline cannot read the environment when it runs (it is never written in clear)`);
          notes.push(`secret ${name} is written as \${env:${e.variable}} (its value is not written): set ${e.variable} when faultline runs`);
          return `\${env:${e.variable}}`;
        case 'env': {
          if (runtimeEnv) {
            if (e.default !== undefined && !e.secret) notes.push(`${name} → \${env:${e.key}}; its default (${JSON.stringify(e.default)}) is not kept: ${e.key} must be set when faultline runs`);
            return `\${env:${e.key}}`;
          }
          if (e.secret) return void (failure ??= `"\${${name}}" is a secret, and it is used where faultline cannot read the environment when it runs (it is never written in clear)`);
          const set = this.env[e.key];
          if (set !== undefined) {
            notes.push(`${name} resolved now from ${e.key} (${JSON.stringify(set)}): faultline cannot read it here when it runs`);
            return set;
          }
          if (e.default !== undefined) {
            notes.push(`${name} resolved now to its default ${JSON.stringify(e.default)} (${e.key} is not set): faultline cannot read the environment here when it runs`);
            return e.default;
          }
          return void (failure ??= `"\${${name}}" reads ${e.key}, which is not set and has no default, where faultline cannot read the environment when it runs`);
        }
      }
    };
    if (whole) {
      const v = one(whole[1]!);
      return failure ? { ok: false, reason: failure } : { ok: true, value: v, notes };
    }
    const text = value.replace(REF, (_m, name: string) => String(one(name) ?? ''));
    return failure ? { ok: false, reason: failure } : { ok: true, value: text, notes };
  }
}

function entryOf(v: unknown, secret: boolean, name: string): Entry {
  if (!isRecord(v)) return { kind: 'value', value: v };
  if (v.type === 'env' && typeof v.key === 'string') return { kind: 'env', key: v.key, secret, ...(v.default !== undefined ? { default: v.default } : {}) };
  return { kind: 'unsupported', type: String(v.type ?? `an object (${name})`) };
}
