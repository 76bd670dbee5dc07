// Judging a command a check ran (on the host, in a container, in a pod): its exit code and, when
// asked, a pattern its stdout must match. Pure; where the command runs is the caller's business.
import type { CommandResult } from '../domain/command.js';
import type { CheckResult } from '../domain/model.js';

export interface ExitExpectation {
  command: readonly string[];
  exitCode: number;
  /** A regular expression (multiline) stdout must match. */
  stdout?: string | undefined;
}

export function judgeExit(expect: ExitExpectation, r: CommandResult, ms: number): CheckResult {
  if (r.error) return { ok: false, ms, error: r.error };
  if (r.code !== expect.exitCode) return { ok: false, ms, error: `${expect.command.join(' ')} exited ${r.code}, expected ${expect.exitCode}${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}` };
  if (expect.stdout !== undefined && !new RegExp(expect.stdout, 'm').test(r.stdout)) {
    return { ok: false, ms, error: `output ${JSON.stringify(r.stdout.trim().slice(0, 120))} does not match /${expect.stdout}/` };
  }
  return { ok: true, ms };
}
