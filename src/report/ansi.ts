// Colour for terminal text, the one helper the verdict table and the CLI's live view share.
// With colour off, text is returned as it is (NO_COLOR, not a TTY, --json).
const ANSI = { green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

export type Style = Exclude<keyof typeof ANSI, 'reset'>;
export type Paint = (style: Style, text: string) => string;

export const painter = (color: boolean): Paint => (style, text) => (color ? `${ANSI[style]}${text}${ANSI.reset}` : text);

/** Exactly the codes painter() writes, so a last check before the terminal can let them, and only them, through. */
export const OWN_STYLE_CODES = /\x1b\[(?:3[123]|[0-2])m/;
