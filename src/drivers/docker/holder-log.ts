// Reading back what a run's engine holder still holds, from its log: every `held` line carries its
// fault's record, and `released`/`fired` lines end it (run-holder-script.ts). The log is read
// through the engine's API, so a sweep works from any machine that can reach the engine. Pure.
import type { HoldRecord } from './run-holder-script.js';

/**
 * The text of a container's stdout from the engine's log answer: a container without a TTY gets
 * frames (one byte stream type, three zero bytes, a 4-byte big-endian length, the payload).
 */
export function stdoutOf(log: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= log.length) {
    const type = log[at]!;
    const size = log.readUInt32BE(at + 4);
    if (type > 2 || log[at + 1] !== 0 || log[at + 2] !== 0 || log[at + 3] !== 0) return log.toString('utf8');
    if (type === 1) parts.push(log.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * The holds a holder's stdout shows registered and neither released nor fired, with their ids; a
 * record that cannot be read is null (its hold cannot be replayed, so its holder must stay).
 */
export function activeHolds(stdout: string): { id: string; record: HoldRecord | null }[] {
  const held = new Map<string, HoldRecord | null>();
  for (const line of stdout.split('\n')) {
    const m = /^(held|released|fired) (\S+)(?: (.*))?$/.exec(line.trim());
    if (!m) continue;
    const [, what, id, rest] = m;
    if (what !== 'held') {
      held.delete(id!);
      continue;
    }
    try {
      held.set(id!, JSON.parse(rest ?? '') as HoldRecord);
    } catch {
      held.set(id!, null);
    }
  }
  return [...held].map(([id, record]) => ({ id, record }));
}
