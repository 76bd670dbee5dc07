// Workloads through any command-line client, one process per operation (for low rates): exit 0
// acknowledges a write; a read's standard output is the value. The command runs through the
// RunCommand port, so this layer never spawns processes itself.
import type { ReadValueSpec, WriteClientParams } from '../../domain/workload.js';
import { compileTemplate } from '../../domain/workload.js';
import { OperationError, type ClientDeps, type OperationClient } from './client.js';
import { valueReader } from './read-value.js';

const ERROR_OUTPUT = 160;

export function execClient(p: WriteClientParams<'exec'>, deps: ClientDeps, value?: ReadValueSpec): OperationClient {
  const args = p.command.map(compileTemplate);
  const read = value ? valueReader(value) : undefined;
  const program = p.command[0]!;
  return {
    address: program,
    async prepare() {
      // Nothing to connect to: whether the program runs is seen on the first operations.
    },
    async run(vars) {
      const r = await deps.runCommand(args.map((a) => a(vars)), { timeoutMs: deps.timeout, cwd: deps.cwd });
      if (r.error) throw new OperationError(r.code === null && r.error.startsWith('command not found') ? 'fail' : 'unknown', r.error);
      if (r.code !== 0) {
        const why = (r.stderr || r.stdout).replace(/\s+/g, ' ').trim().slice(0, ERROR_OUTPUT);
        throw new OperationError('fail', `exit code ${r.code}${why ? `: ${why}` : ''}`);
      }
      return read ? read(r.stdout) : null;
    },
    async close() {},
  };
}
