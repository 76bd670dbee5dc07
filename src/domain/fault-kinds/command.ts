import { z } from 'zod';
import type { DriverName, Target } from '../model.js';
import { Duration } from '../schema-helpers.js';
import { d, defineFaultKind } from './define.js';

const Argv = z.array(z.string().min(1)).min(1);

/**
 * Host commands as steps of a drill (take a backup, wipe a data directory, restore it). With a
 * `revert` it is held: `run` is the inject, `revert` is played like any revert (at the end of
 * `for`, by `faultline rollback`, by the watchdog at expiry), so it needs `for`. Without one it is
 * instant and takes no `for`.
 */
export const command = defineFaultKind({
  params: z.strictObject({
    run: Argv.meta(d("Program and arguments run as the injection. A program with a '/' is relative to the experiment file's directory; otherwise it is looked up on PATH. A missing program is bad input (exit 2, before anything runs).")),
    revert: Argv.optional().meta(d('Program and arguments run as the revert: at the end of `for`, on any interrupt or error, by `faultline rollback` and by the watchdog at expiry. With it the fault is held and needs `for`; without it the fault is instant. It may run more than once (a failed revert is retried), so make it safe to repeat.')),
    timeout: Duration.refine((ms) => ms > 0, 'a timeout must be above 0').default(30_000).meta(d('Each command is killed (SIGKILL) when it runs longer; that counts as a failure. Default 30s.')),
    exitCode: z.int().min(0).max(255).default(0).meta(d('The exit code that means success, for `run` and `revert`. Any other is a failed injection (the run fails and reverts what was injected) or a failed revert (the run is unclean). Default 0.')),
    env: z.record(z.string(), z.string()).optional().meta(d('Extra environment variables. "${env:NAME}" is read from faultline\'s environment when the command runs (also at rollback), and its value is never written: it is redacted from the output kept in the journal.')),
    cwd: z.string().optional().meta(d("Working directory, relative to the experiment file's directory. Default: that directory.")),
  }),
  example: { run: ['sh', '-c', 'touch /tmp/faultline-example'], revert: ['rm', '-f', '/tmp/faultline-example'] },
  instant: (p) => p.revert === undefined,
  victims: (_p, _groups, driver) => [hostTarget(driver)],
  describe: (_t, p) => {
    const how = `in ${p.cwd ?? '.'}, timeout ${p.timeout}ms, expecting exit ${p.exitCode}`;
    return `run \`${shellWords(p.run)}\` on the faultline host (${how}); ${p.revert ? `revert: run \`${shellWords(p.revert)}\`` : 'nothing to revert'}`;
  },
});

/** The one victim of a command: faultline's own host. */
export function hostTarget(driver: DriverName): Target {
  return { driver, group: 'host', id: 'host', name: 'host', meta: {} };
}

/** A command line as one would type it in a shell: what `plan` shows, so it can be copied and tried. */
export function shellWords(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
