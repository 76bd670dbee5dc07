// Who may advance a manual gate. In the terminal the facilitator presses Enter: they are at the
// machine that runs the game day (usually the projected one), it needs no second channel into a
// running faultline, and Ctrl-C is right there to stop. The live console's Advance button is
// another source; the first source to answer advances the gate.
import { createInterface, type Interface } from 'node:readline';
import type { Terminal } from './terminal.js';

export interface GateSource {
  /** Resolves with who advanced ("terminal", "console"); rejects when this source can never advance it. */
  wait(label: string, prompt: string | undefined, signal: AbortSignal): Promise<string>;
  close(): void;
}

/** Enter on `input` advances the gate. Lines typed while no gate is open are ignored. */
export function terminalGates(input: NodeJS.ReadableStream, term: Terminal): GateSource {
  let rl: Interface | undefined;
  let closed = false;
  let waiting: { resolve: (by: string) => void; reject: (e: Error) => void } | undefined;
  const open = () => {
    if (rl || closed) return;
    rl = createInterface({ input, terminal: false });
    rl.on('line', () => {
      const w = waiting;
      waiting = undefined;
      w?.resolve('terminal');
    });
    rl.on('close', () => {
      closed = true;
      const w = waiting;
      waiting = undefined;
      w?.reject(new Error(stdinClosed));
    });
  };
  const stdinClosed = 'standard input closed at a manual gate, so nobody can advance it (run `faultline gameday` in a terminal)';
  return {
    wait(label, prompt, signal) {
      term.err(`\n== gate ${label}${prompt ? `: ${prompt}` : ''}\n   press Enter to go on (Ctrl-C or \`faultline halt\` stops the game day)`);
      open();
      if (closed) return Promise.reject(new Error(stdinClosed));
      return new Promise<string>((resolve, reject) => {
        const onAbort = () => {
          waiting = undefined;
          reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        waiting = {
          resolve: (by) => {
            signal.removeEventListener('abort', onAbort);
            resolve(by);
          },
          reject: (e) => {
            signal.removeEventListener('abort', onAbort);
            reject(e);
          },
        };
      });
    },
    close() {
      closed = true;
      rl?.close();
    },
  };
}

/**
 * The first of several sources to advance the gate advances it. One source that can never answer
 * (stdin closed while the console is open) does not block the others; all of them failing does.
 */
export function anyGate(sources: GateSource[]): GateSource {
  return {
    async wait(label, prompt, signal) {
      const done = new AbortController();
      const stop = () => done.abort(signal.reason);
      signal.addEventListener('abort', stop, { once: true });
      try {
        return await Promise.any(sources.map((s) => s.wait(label, prompt, AbortSignal.any([signal, done.signal]))));
      } catch (e) {
        throw e instanceof AggregateError ? (e.errors.find((x) => x !== signal.reason) ?? e.errors[0]) : e;
      } finally {
        signal.removeEventListener('abort', stop);
        done.abort(new Error('gate passed'));
      }
    },
    close() {
      for (const s of sources) s.close();
    },
  };
}
