// The run's engine holder: one container started ahead of the first fault (while the run is in
// setup and steady state) that holds every engine-ended fault of the run (pause, stop, cpu,
// switch outage) from its registration to its expiry, so that injecting one costs a line on its
// stdin and the answer on its stdout instead of a container's create and start.
//
// The line protocol, one line each way per command (stdin is attached through the engine's API, so
// it works on a remote engine as well):
//   runner → holder   hold <id> <deadline, epoch s> <calls: base64 of shell lines> <record: JSON>
//   holder → runner   held <id> <record>          (the timer is armed: the fault may now be applied)
//   runner → holder   release <id>
//   holder → runner   released <id>               (the timer is gone)
//   holder → runner   fired <id>                  (the deadline came: the calls were played)
// Every `held` line stays in the container's log with its record (kind, target, undo), which is how
// a sweep by another process (rollback, halt) finds what the holder still holds (holder-log.ts).
// When stdin closes (the run ended, or the runner died) the holder keeps its timers and exits once
// the last has fired or none is left.
import type { JsonValue } from '../../domain/model.js';
import { engineCallFunctions, engineCallLines, type EngineCall } from './engine-calls.js';

/** What a `held` line carries: enough for a sweep to end the fault with the kind's own revert. */
export interface HoldRecord {
  kind: string;
  fault: string;
  target: string;
  targetName: string;
  /** ISO time. */
  expiresAt: string;
  undo: JsonValue;
}

export function runHolderScript(): string {
  return [
    ...engineCallFunctions(),
    // A file per hold id (ids are `h<n>`) with its timer's pid.
    'S=$(mktemp -d)',
    // One timer per hold, in its own subshell. Its long sleep runs in the background so that a
    // release can kill it too (and no orphaned sleep outlives the hold).
    'fire() {',
    '  r=$(($2 - $(date +%s)))',
    '  if [ "$r" -gt 1 ]; then sleep $((r - 1)) & echo $! > "$S/$1.sleep"; wait $!; fi',
    '  while [ "$(date +%s)" -lt "$2" ]; do sleep 0.2; done',
    // Released meanwhile (the release's kill lost a race with the last short sleep): nothing to do.
    '  [ -f "$S/$1" ] || exit 0',
    '  eval "$(echo "$3" | base64 -d)"',
    '  wait',
    '  echo "fired $1"',
    '}',
    'while read -r cmd id d calls rec; do',
    '  case "$cmd" in',
    '    hold) : > "$S/$id"; fire "$id" "$d" "$calls" & echo $! > "$S/$id"; echo "held $id $rec" ;;',
    '    release)',
    '      p=$(cat "$S/$id" 2>/dev/null); s=$(cat "$S/$id.sleep" 2>/dev/null); rm -f "$S/$id" "$S/$id.sleep"',
    '      [ -n "$p" ] && kill "$p" 2>/dev/null; [ -n "$s" ] && kill "$s" 2>/dev/null',
    '      echo "released $id" ;;',
    '  esac',
    'done',
    'wait',
    'exit 0',
  ].join('\n');
}

/** The `hold` line for one fault (no newline inside: JSON.stringify escapes them, base64 has none). */
export function holdLine(id: string, expiresAtMs: number, calls: readonly EngineCall[], record: HoldRecord): string {
  const sh = Buffer.from(engineCallLines(calls)).toString('base64');
  return `hold ${id} ${Math.ceil(expiresAtMs / 1000)} ${sh} ${JSON.stringify(record)}\n`;
}

export function releaseLine(id: string): string {
  return `release ${id}\n`;
}
