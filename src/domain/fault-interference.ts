// When two faults of one experiment would interfere: in place on one victim at the same time, and
// changing the same thing there (each driver's handlers declare what they change: `touches`). Then
// reverting one would undo the other while the journal still records it as held — a pause's
// SIGCONT ends a longer pause early — so such a pair is refused before anything is touched:
// `validate` when the file names the same target, `plan` and `run` on the selected victims. Pure.
import { formatDuration } from './units.js';

export interface ScheduledFault {
  name: string;
  at: number;
  /** Absent for an instant fault: it happens at `at`. */
  for?: number | undefined;
  touches: readonly string[];
  /** Victims by id; the name is what the message shows. */
  victims: readonly { id: string; name: string }[];
}

export interface Interference {
  /** Index of the later fault of the pair (where `validate` points). */
  index: number;
  message: string;
}

/** A path equals the other or contains it: "network namespace" holds "network namespace/root qdisc". */
function shared(a: readonly string[], b: readonly string[]): string | undefined {
  for (const x of a) {
    for (const y of b) {
      if (x === y || y.startsWith(`${x}/`)) return x;
      if (x.startsWith(`${y}/`)) return y;
    }
  }
  return undefined;
}

const instant = (ms: number) => (ms === 0 ? '0s' : formatDuration(ms));

function when(f: ScheduledFault): string {
  return f.for === undefined ? `at ${instant(f.at)}` : `${instant(f.at)}–${instant(f.at + f.for)}`;
}

/**
 * Every pair that would interfere, each reported once against the later fault. Intervals are
 * closed: a fault starting the instant another is reverted races that revert. An instant fault
 * during a held one interferes when it changes what the held one holds (a kill during a pause).
 */
export function interferingFaults(faults: readonly ScheduledFault[]): Interference[] {
  const found: Interference[] = [];
  faults.forEach((b, j) => {
    for (let i = 0; i < j; i++) {
      const a = faults[i]!;
      // Two instant faults leave nothing in place for the other to undo.
      if (a.for === undefined && b.for === undefined) continue;
      if (a.at > b.at + (b.for ?? 0) || b.at > a.at + (a.for ?? 0)) continue;
      const what = shared(a.touches, b.touches);
      if (what === undefined) continue;
      const ids = new Set(a.victims.map((v) => v.id));
      const both = b.victims.filter((v) => ids.has(v.id));
      if (!both.length) continue;
      const on = both.map((v) => v.name).join(', ');
      found.push({
        index: j,
        message:
          `faults "${a.name}" (${when(a)}) and "${b.name}" (${when(b)}) would both change the ${what} of ${on} at the same time: ` +
          `reverting one would undo the other while the journal still recorded it as in place, so they are refused. ` +
          `Schedule them so they do not overlap (one's at after the other's at + for), or give them different targets`,
      });
    }
  });
  return found;
}
