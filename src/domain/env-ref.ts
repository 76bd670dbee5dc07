// "${env:NAME}": a value read from faultline's environment, never written anywhere (it is
// redacted). Most of an experiment is filled in at load time (spec/interpolate.ts); a command
// fault's steps are filled in when they run, so its undo record in the ledger holds the reference,
// not the value, and a rollback in another process reads the value from its own environment.

export const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface Expanded {
  text: string;
  /** The values read: to redact wherever the text, or what it produced, is written. */
  secrets: string[];
  /** Variables referenced but not set. */
  missing: string[];
}

export function expandEnvRefs(text: string, env: Readonly<Record<string, string | undefined>>): Expanded {
  const secrets: string[] = [];
  const missing: string[] = [];
  const out = text.replace(ENV_REF, (_m, name: string) => {
    const value = env[name];
    if (value === undefined) {
      missing.push(name);
      return '';
    }
    secrets.push(value);
    return value;
  });
  return { text: out, secrets, missing };
}
