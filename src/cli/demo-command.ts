// `faultline demo`: the two-minute tour. Starts the example replicated key-value service as local
// processes and runs two experiments against it: killing the primary (the supervisor restarts it
// and writes recover within the SLO) and partitioning the replica from a primary that replicates
// synchronously (writes stop for the whole partition: a breach, and the journal shows why).
import { fileURLToPath } from 'node:url';
import { runCommand } from './run-command.js';
import type { Terminal } from './terminal.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/kv/', import.meta.url));

const STEPS = [
  { file: 'kill-primary.yaml', expect: 0, story: 'Kill the primary with SIGKILL: its supervisor restarts it and writes must recover within 5s.' },
  { file: 'partition-replica.yaml', expect: 1, story: 'Cut the replica off from the primary for 4s: with synchronous replication every write waits for an acknowledgement that never comes.' },
];

export async function demoCommand(o: { out: string }, term: Terminal): Promise<number> {
  const results: number[] = [];
  for (const [i, step] of STEPS.entries()) {
    term.err(`\n=== demo ${i + 1}/${STEPS.length}: ${step.story}\n`);
    const { code, journal } = await runCommand(`${EXAMPLES}${step.file}`, { out: o.out, junit: `${o.out}/junit-${step.file.replace('.yaml', '')}.xml` }, term);
    results.push(code);
    if (journal.status === 'interrupted') return code;
  }
  const asExpected = results.every((code, i) => code === STEPS[i]!.expect);
  term.err(
    asExpected
      ? '\nDemo finished as designed: the kill was absorbed within the SLO (exit 0), the partition breached it (exit 1). Open the report.html files above to see why.'
      : `\nDemo did not behave as designed (exit codes ${results.join(', ')}; expected ${STEPS.map((s) => s.expect).join(', ')}). The journals above say why.`,
  );
  return asExpected ? 0 : 1;
}
