// Chaos against faultline itself: for every fault kind of the process driver, the runner is
// killed with SIGKILL at a seeded random instant around injection, hold and revert. Half the
// trials then kill the watchdog too (a power loss) and run `faultline rollback`; the other half
// run no rollback and check that the watchdog removed everything within the fault's TTL + 5 s.
// Either way nothing may remain: no service process of the run, no stopped process, no port.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, waitForOutput } from '../support/cli.js';
import { experimentYaml, kvPorts, kvServices, writeTemp } from '../support/kv.js';
import { processLeftovers, processesMentioning } from '../support/leftovers.js';

const TRIALS = Number(process.env.FAULTLINE_CHAOS_TRIALS ?? 20);
const PARALLEL = 3;
const HOLD_MS = 500;
const TTL_MS = HOLD_MS + 2000;

const FAULTS: Record<string, string> = {
  kill: 'kill: { target: primary }',
  pause: 'pause: { target: primary }',
  restart: 'restart: { target: primary, timeout: 1s }',
  latency: 'latency: { target: primary, delay: 50ms }',
  bandwidth: 'bandwidth: { target: primary, rate: 10kbit }',
  loss: 'loss: { target: primary, percent: 50% }',
  timeout: 'timeout: { target: primary }',
  partition: 'partition: { from: replica, to: primary }',
};
const INSTANT = new Set(['kill', 'restart']);

interface Trial {
  kind: string;
  n: number;
  withRollback: boolean;
  killAfterMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runTrial(t: Trial, base: number): Promise<string[]> {
  const p = kvPorts(base);
  const yaml = experimentYaml(
    `chaos-${t.kind}-${t.n}`,
    `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
    replica: { selector: { names: [replica] } }
  probes:
    health: { tcp: { address: 127.0.0.1:${p.primary} }, every: 50ms, timeout: 200ms }
  faults:
    - ${FAULTS[t.kind]}
      at: 100ms${INSTANT.has(t.kind) ? '' : `\n      for: ${HOLD_MS}ms`}
  observe: { steadyState: 100ms, recoveryWindow: 300ms }`,
  );
  const file = writeTemp('chaos.yaml', yaml);
  const stateDir = mkdtempSync(path.join(tmpdir(), 'faultline-chaos-'));
  const env = { FAULTLINE_STATE_DIR: stateDir };
  const cli = startCli(['run', file, '--out', path.join(stateDir, 'out')], { env });
  await waitForOutput(cli.output, /phase inject/);
  await sleep(t.killAfterMs);
  cli.child.kill('SIGKILL');
  const killedAt = Date.now();
  await cli.done;
  const [ledger] = readdirSync(path.join(stateDir, 'runs'));
  const runId = ledger!.replace(/\.ledger$/, '');
  const ports = [p.primary, p.replica, p.link, p.clientLink];
  const problems: string[] = [];

  if (t.withRollback) {
    // Power loss: the watchdog dies with the runner; only the ledger survives.
    for (const pid of processesMentioning(ledger!)) process.kill(pid, 'SIGKILL');
    // --run keeps concurrent trials independent: a host-wide rollback would also sweep their orphans.
    const r = await runCli(['rollback', '--run', runId], { env });
    if (r.code !== 0) problems.push(`rollback exited ${r.code}: ${r.stderr}${r.stdout}`);
    const again = await runCli(['rollback', '--run', runId], { env });
    if (again.code !== 0 || !/nothing to roll back/.test(again.stdout)) problems.push(`second rollback was not a no-op: ${again.stdout}${again.stderr}`);
  } else {
    // Typically gone within TTL + 5 s; the slack is for a loaded 2-core machine (the loop ends once clean).
    const deadline = killedAt + TTL_MS + 15_000;
    while (Date.now() < deadline && ((await processLeftovers(runId, ports)).length > 0 || processesMentioning(ledger!).length > 0)) await sleep(100);
  }
  problems.push(...(await processLeftovers(runId, ports)));
  if (processesMentioning(ledger!).length) problems.push('watchdog still running');
  return problems.map((x) => `${t.kind} #${t.n} (${t.withRollback ? 'rollback' : 'no rollback'}, kill at +${t.killAfterMs}ms): ${x}`);
}

describe('SIGKILL of the runner at a random instant leaves nothing behind (process driver)', () => {
  it(`${TRIALS} trials per fault kind, half with rollback, half left to the watchdog`, async () => {
    const rng = seedrandom('faultline-chaos');
    const trials: Trial[] = Object.keys(FAULTS).flatMap((kind) =>
      Array.from({ length: TRIALS }, (_, n) => ({ kind, n, withRollback: n % 2 === 0, killAfterMs: Math.floor(rng() * (HOLD_MS + 300)) })),
    );
    const slots = Array.from({ length: PARALLEL }, (_, i) => 27600 + i * 10);
    const free = [...slots];
    const limit = pLimit(PARALLEL);
    const results = await Promise.all(
      trials.map((t) =>
        limit(async () => {
          const base = free.pop()!;
          try {
            return await runTrial(t, base);
          } finally {
            free.push(base);
          }
        }),
      ),
    );
    const leftovers = results.flat();
    console.log(`chaos: ${trials.length} trials (${Object.keys(FAULTS).length} fault kinds x ${TRIALS}), leftovers found: ${leftovers.length}`);
    expect(leftovers).toEqual([]);
  }, 1_800_000);
});
