// Where CLI output goes. Diagnostics and the live view go to stderr, so that `--json` leaves
// stdout to the machine-readable result.
import { printableExcept } from '../domain/printable.js';
import { OWN_STYLE_CODES } from '../report/ansi.js';

/**
 * The last check before stderr: renderers already make user data printable, and this keeps any
 * message that did not go through one (a driver's error, a warning quoting a service) from moving
 * the cursor, rewriting the line or ringing the bell. Only the colour codes painter() writes pass
 * (a message carrying exactly those keeps its colour, which is harmless).
 */
export function terminalSafe(text: string): string {
  return printableExcept(text, OWN_STYLE_CODES);
}
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a TTY: redraw a status line, use colour. */
  readonly tty: boolean;
  readonly color: boolean;
  /** Write a transient status line (TTY only); an empty string clears it. */
  status(text: string): void;
}

/** The same terminal, with every line passed through `redact` first. */
export function redactingTerminal(term: Terminal, redact: (text: string) => string): Terminal {
  return {
    tty: term.tty,
    color: term.color,
    out: (text) => term.out(redact(text)),
    err: (text) => term.err(redact(text)),
    status: (text) => term.status(redact(text)),
  };
}

export function processTerminal(): Terminal {
  // `faultline plan x | head`: a reader that goes away is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  const tty = Boolean(process.stderr.isTTY);
  const color = tty && !process.env.NO_COLOR;
  let shown = false;
  const clear = () => {
    if (shown) process.stderr.write('\r\x1b[2K');
    shown = false;
  };
  return {
    tty,
    color,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (raw) => {
      clear();
      const text = terminalSafe(raw);
      process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    status: (raw) => {
      if (!tty) return;
      clear();
      const text = terminalSafe(raw);
      if (text) {
        process.stderr.write(text.slice(0, (process.stderr.columns ?? 120) - 1));
        shown = true;
      }
    },
  };
}
