// The process driver's watchdog: a detached process that outlives its runner. While the runner
// lives, it ends any fault that outstays its time to live (a hung runner) with the action the
// process driver's handler for its kind declares (pause: SIGCONT to the process group; command: its
// revert command, from the undo record); when the runner
// dies without ending its ledger (SIGKILL, OOM), it plays the rollback and stops the run's
// services. It exits as soon as the ledger records the run's end.
//
//   node watchdog-main.js <ledger file> <runner pid>
import { LedgerWriter, readLedger } from '../ledger/ledger-file.js';
import { ledgerState, type Outstanding } from '../ledger/records.js';
import { faultOf } from '../drivers/fault-handler.js';
import { rollbackRun } from '../engine/rollback.js';
import { ProcessDriver } from '../drivers/process/process-driver.js';
import { PROCESS_FAULTS } from '../drivers/process/faults/index.js';
import { FaultProxy } from '../proxy/index.js';
import { systemClock } from '../runtime/system-clock.js';
import { silentLogger } from '../domain/context.js';
import { processAlive } from '../runtime/processes.js';
import { randomStream } from '../runtime/random.js';

const POLL_MS = 200;


async function watch(file: string, runnerPid: number): Promise<void> {
  for (;;) {
    const state = ledgerState(readLedger(file));
    if (!state || state.ended) return;
    if (!processAlive(runnerPid)) {
      const driver = new ProcessDriver({ baseDir: '/', clock: systemClock, createProxy: (rng) => new FaultProxy({ rng }) });
      const ledger = new LedgerWriter(file);
      const ctx = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId: state.run.runId, rng: randomStream(state.run.runId, 'watchdog') };
      await rollbackRun(state, driver, ledger, ctx, 'watchdog');
      ledger.close();
      return;
    }
    const now = systemClock.now();
    for (const o of state.outstanding) {
      if (PROCESS_FAULTS[o.kind]?.watchdogReverts && o.undo !== undefined && o.expiresAt !== null && now >= o.expiresAt) {
        await replayRevert(file, o, state.run.runId);
        continue;
      }
      const expire = PROCESS_FAULTS[o.kind]?.watchdog;
      if (!expire || o.expiresAt === null || now < o.expiresAt) continue;
      const pid = state.services.get(o.target.id);
      if (pid === undefined) continue;
      expire(pid);
      const ledger = new LedgerWriter(file);
      ledger.append({ type: 'reverted', t: now, fault: o.fault, kind: o.kind, target: o.target, by: 'watchdog', note: 'time to live exceeded' });
      ledger.close();
    }
    await systemClock.sleep(POLL_MS);
  }
}

/** Faults whose revert the watchdog already played once: a failed one is left to `faultline rollback`, not repeated every poll. */
const replayed = new Set<string>();

/** A fault whose handler declares `watchdogReverts` (a command's revert): its own revert, from the undo record. */
async function replayRevert(file: string, o: Outstanding, runId: string): Promise<void> {
  const key = `${o.fault}\u0000${o.target.id}`;
  if (replayed.has(key)) return;
  replayed.add(key);
  const driver = new ProcessDriver({ baseDir: '/', clock: systemClock, createProxy: (rng) => new FaultProxy({ rng }) });
  const ctx = { clock: systemClock, signal: new AbortController().signal, log: silentLogger, runId, rng: randomStream(runId, 'watchdog') };
  try {
    const r = await faultOf(driver.faults, driver.name, o.kind).revert(o.target, o.undo!, ctx);
    const ledger = new LedgerWriter(file);
    ledger.append({ type: 'reverted', t: systemClock.now(), fault: o.fault, kind: o.kind, target: o.target, by: 'watchdog', note: `time to live exceeded${r.note ? `: ${r.note}` : ''}` });
    ledger.close();
  } catch {
    // Still outstanding in the ledger: `faultline rollback` (or the runner, if it wakes) plays it again and reports why.
  }
}

const [file, pid] = process.argv.slice(2);
if (!file || !pid) {
  process.stderr.write('usage: watchdog-main <ledger file> <runner pid>\n');
  process.exitCode = 2;
} else {
  await watch(file, Number(pid));
}
