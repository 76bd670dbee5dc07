// Ctrl-C and SIGTERM never kill faultline mid-fault: the first one interrupts the run, which
// reverts everything and exits 130; later ones only say that reverting is under way.
import type { Terminal } from './terminal.js';

export interface Interrupts {
  signal: AbortSignal;
  dispose(): void;
}

export function interruptOnSignals(term: Terminal): Interrupts {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      term.err(`faultline: ${sig} received again; still reverting faults — it exits as soon as everything is put back`);
      return;
    }
    term.err(`faultline: ${sig} received; reverting every fault before exiting`);
    controller.abort(sig);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      process.off('SIGHUP', handler);
    },
  };
}
