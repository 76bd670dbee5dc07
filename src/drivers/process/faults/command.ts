import path from 'node:path';
import { z } from 'zod';
import type { FaultParams } from '../../../domain/fault-kinds/catalog.js';
import { shellWords } from '../../../domain/fault-kinds/command.js';
import { formatDuration } from '../../../domain/units.js';
import { runCommandStep, type CommandStep } from '../../command-step.js';
import { NOTHING_TO_REVERT } from '../../fault-handler.js';
import type { ProcessFaultHandler } from './handler.js';

const Step = z.object({
  command: z.array(z.string().min(1)).min(1),
  cwd: z.string().min(1),
  env: z.array(z.tuple([z.string(), z.string()])),
  timeoutMs: z.number().positive(),
  exitCode: z.int(),
});
/** null for a command without `revert` (instant); otherwise the revert step, complete, so rollback and the watchdog can play it from the ledger alone. */
const Undo = z.union([z.null(), z.object({ action: z.literal('run'), revert: Step })]);

/** `run` on the faultline host; revert (at the end of `for`, by rollback, by the watchdog at expiry) runs `revert`. */
export const command: ProcessFaultHandler<'command', z.output<typeof Undo>> = {
  // A host command acts on nothing faultline tracks on a victim: two commands, or a command and any
  // other fault, are the experiment author's sequence to order, not a mechanism one revert could undo.
  touches: [],
  undo: Undo,
  example: () => ({ action: 'run', revert: { command: ['rm', '-f', '/tmp/faultline-example'], cwd: '/tmp', env: [['MODE', 'example']], timeoutMs: 30_000, exitCode: 0 } }),
  async inject(_t, { params, ran }, ctx) {
    const run = await runCommandStep(step(params, params.run), ctx.clock);
    ran?.(run);
    return params.revert ? { action: 'run', revert: step(params, params.revert) } : null;
  },
  async revert(_t, undo, ctx) {
    if (undo === null) return NOTHING_TO_REVERT;
    const run = await runCommandStep(undo.revert, ctx.clock);
    return { note: `\`${shellWords(undo.revert.command)}\` exited ${run.exitCode} in ${run.durationMs}ms`, command: run };
  },
  watchdogReverts: true,
  // restore.sh-like reverts take seconds: the watchdog must not start a second one while the first runs.
  revertBudgetMs: ({ params }) => (params as FaultParams<'command'>).timeout,
  expiry: (ttl) => `the detached watchdog runs the revert command ${formatDuration(ttl)} after injection at the latest, or at once if faultline dies; \`faultline rollback\` runs it too`,
};

function step(params: FaultParams<'command'>, command: string[]): CommandStep {
  // The loader made cwd absolute (relative to the experiment file); a library caller's relative one is taken from here.
  return { command, cwd: path.resolve(params.cwd ?? '.'), env: Object.entries(params.env ?? {}), timeoutMs: params.timeout, exitCode: params.exitCode };
}
