// The unique key and value of each write, derived from the run and the sequence number alone: the
// final read can rebuild what every write wrote without keeping it, and a key from an earlier run
// can never be mistaken for one of this run.
import type { OperationVars } from './clients/client.js';

export function operationNaming(runId: string, workload: string): (seq: number) => OperationVars {
  return (seq) => ({ key: `${workload}-${runId}-${seq}`, value: `${runId}.${seq}`, seq: String(seq) });
}
