// The engine calls an engine holder plays at a fault's expiry, as POSIX shell over `curl
// --unix-socket` (holder.ts's per-fault script and run-holder-script.ts's run holder share them).
import type { JsonValue } from '../../domain/model.js';

/** One engine API call a holder makes at expiry; `fallback` is tried when the engine refuses `body`. */
export interface EngineCall {
  path: string;
  body?: JsonValue;
  fallback?: JsonValue;
}

/** A single-quoted shell word. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Where an engine holder finds the engine's socket (bind-mounted there from the engine's host). */
export const HOLDER_SOCKET = '/var/run/docker.sock';

/** `post` and `one`: the shell functions that play one engine call, retried (engineScript, run-holder-script.ts). */
export function engineCallFunctions(): string[] {
  return [
    // curl prints its own error (exit != 0, code 000) when the socket does not answer: that is retried too.
    `post() { r=$(curl -sS --max-time 10 --unix-socket ${HOLDER_SOCKET} -X POST -H 'Content-Type: application/json' --data-binary "$2" -w ' %{http_code}' "http://localhost$1" 2>&1); code=\${r##* }; text=\${r% *}; }`,
    'one() {',
    '  i=0',
    '  while [ "$i" -lt 60 ]; do',
    '    post "$1" "$2"',
    '    if [ -n "$3" ] && [ "$code" -ge 300 ] && echo "$text" | grep -qi "user specified IP address is supported only"; then post "$1" "$3"; fi',
    '    case "$code" in 2??|304|404|409) return 0 ;; esac',
    '    echo "$text" | grep -Eqi "already (exists|connected|started|stopped|paused)|is not (paused|running)|No such" && return 0',
    '    echo "$1: $code $text" >&2',
    '    i=$((i + 1)); sleep 0.5',
    '  done',
    '}',
  ];
}

/** Each call as a background `one`, one per line (the caller then `wait`s for them all). */
export function engineCallLines(calls: readonly EngineCall[]): string {
  const body = (b: JsonValue | undefined) => shq(b === undefined ? '' : JSON.stringify(b));
  return calls.map((c) => `one ${shq(c.path)} ${body(c.body)} ${c.fallback === undefined ? "''" : body(c.fallback)} &`).join('\n');
}
