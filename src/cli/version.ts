import { readFileSync } from 'node:fs';

/** faultline's own version, from its package.json (two levels up from dist/cli or src/cli). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
