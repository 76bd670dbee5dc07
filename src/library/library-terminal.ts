// The terminal a library run prints to: no TTY, no colour, no status line; every line to `line`.
import type { Terminal } from '../cli/terminal.js';

export function libraryTerminal(line: (text: string) => void): Terminal {
  const each = (text: string) => {
    for (const l of text.split('\n')) line(l);
  };
  return { tty: false, color: false, out: each, err: each, status: () => undefined };
}
