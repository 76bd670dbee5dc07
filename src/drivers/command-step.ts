// One step of a `command` fault (its `run` or its `revert`) on the faultline host: the same code
// for the live run, `faultline rollback` and the process watchdog, since each replays the step
// from the undo record alone. "${env:NAME}" is filled in here, from this process's environment,
// and its values are redacted from everything kept; the output kept is the end of each stream.
import type { CommandRun } from '../domain/command.js';
import { CommandStepError } from '../domain/command.js';
import type { Clock } from '../domain/context.js';
import { expandEnvRefs } from '../domain/env-ref.js';
import { shellWords } from '../domain/fault-kinds/command.js';
import { createRedactor } from '../domain/redact.js';
import { runHostCommand } from './host-command.js';

/** Everything a step needs, as plain JSON (it is part of the undo record the ledger keeps). */
export interface CommandStep {
  command: string[];
  cwd: string;
  /** Extra variables as [name, value] pairs: the ledger masks values under secret-looking object keys (PGPASSWORD), which a replay must not receive. */
  env: [string, string][];
  timeoutMs: number;
  exitCode: number;
}

/** How much of each stream the journal keeps: the end, where the reason for a failure usually is. */
export const KEPT_OUTPUT = 4000;

/** Resolves with what ran when it exits with the expected code; otherwise rejects with a CommandStepError carrying it. */
export async function runCommandStep(step: CommandStep, clock: Clock, env: NodeJS.ProcessEnv = process.env): Promise<CommandRun> {
  const secrets: string[] = [];
  const missing: string[] = [];
  const fill = (text: string) => {
    const e = expandEnvRefs(text, env);
    secrets.push(...e.secrets);
    missing.push(...e.missing);
    return e.text;
  };
  const argv = step.command.map(fill);
  const extra = Object.fromEntries(step.env.map(([k, v]) => [k, fill(v)]));
  const redact = createRedactor(secrets);
  const written = shellWords(step.command);
  const base = { command: step.command, cwd: step.cwd, expected: step.exitCode, timeoutMs: step.timeoutMs };
  if (missing.length) {
    const error = `environment variable ${[...new Set(missing)].join(', ')} is not set (referenced as \${env:...} by \`${written}\`)`;
    throw new CommandStepError(error, { ...base, exitCode: null, durationMs: 0, timedOut: false, stdout: '', stderr: '', error });
  }
  const started = clock.now();
  const r = await runHostCommand(argv, { timeoutMs: step.timeoutMs, cwd: step.cwd, env: { ...env, ...extra } });
  const run: CommandRun = {
    ...base,
    exitCode: r.code,
    durationMs: Math.round(clock.now() - started),
    timedOut: r.timedOut === true,
    stdout: tail(redact(r.stdout)),
    stderr: tail(redact(r.stderr)),
    ...(r.error ? { error: redact(r.error) } : {}),
  };
  if (r.code === step.exitCode) return run;
  const lastLine = run.stderr.trim().split('\n').at(-1);
  const why = run.error ?? `exited ${r.code}, expected ${step.exitCode}`;
  throw new CommandStepError(`\`${written}\` ${why}${lastLine ? `: ${lastLine}` : ''}`, run);
}

function tail(text: string): string {
  if (text.length <= KEPT_OUTPUT) return text;
  return `[${text.length - KEPT_OUTPUT} characters cut]…${text.slice(-KEPT_OUTPUT)}`;
}
