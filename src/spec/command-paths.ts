// A command fault's paths: relative ones are taken from the experiment file's directory (like a
// service's cwd), so a file runs the same from anywhere and its undo record in the ledger holds
// absolute paths a rollback in another directory can replay; and each program must exist before
// anything runs (bad input, exit 2), not fail halfway through a drill.
import { resolve } from 'node:path';
import type { Experiment } from '../domain/experiment.js';
import { faultKind, faultParams } from '../domain/fault-kinds/fault-names.js';
import type { FaultParams } from '../domain/fault-kinds/catalog.js';
import { ENV_REF } from '../domain/env-ref.js';
import { findProgram } from '../drivers/host-command.js';
import type { Problem } from './problem.js';

type CommandParams = FaultParams<'command'>;

const hasEnvRef = (text: string) => new RegExp(ENV_REF.source).test(text);

function commandsOf(experiment: Experiment): { i: number; params: CommandParams }[] {
  return experiment.spec.faults.flatMap((f, i) => (faultKind(f) === 'command' ? [{ i, params: faultParams(f) as CommandParams }] : []));
}

/** Programs of `run` and `revert` that are neither on PATH nor (with a '/') relative to `dir`. */
export function missingPrograms(experiment: Experiment, dir: string, envPath = process.env.PATH): Problem[] {
  return commandsOf(experiment).flatMap(({ i, params }) =>
    (['run', 'revert'] as const).flatMap((step) => {
      const program = params[step]?.[0];
      // A program named through ${env:...} is known only when it runs.
      if (program === undefined || hasEnvRef(program) || findProgram(program, dir, envPath)) return [];
      const where = program.includes('/') ? ` (looked for ${resolve(dir, program)}, relative to the experiment file's directory)` : ' on PATH';
      return [{ path: ['spec', 'faults', i, 'command', step, 0], message: `program "${program}" was not found${where}` }];
    }),
  );
}

/** cwd made absolute (default: `dir`), and programs given with a '/' too. */
export function resolveCommandPaths(experiment: Experiment, dir: string): Experiment {
  const commands = new Map(commandsOf(experiment).map((c) => [c.i, c.params]));
  if (commands.size === 0) return experiment;
  const program = (argv: string[]) => (argv[0]!.includes('/') && !hasEnvRef(argv[0]!) ? [resolve(dir, argv[0]!), ...argv.slice(1)] : argv);
  const faults = experiment.spec.faults.map((f, i) => {
    const p = commands.get(i);
    if (!p) return f;
    const params: CommandParams = { ...p, run: program(p.run), ...(p.revert ? { revert: program(p.revert) } : {}), cwd: resolve(dir, p.cwd ?? '.') };
    return { ...f, command: params };
  });
  return { ...experiment, spec: { ...experiment.spec, faults } as Experiment['spec'] };
}
