#!/usr/bin/env bash
# The disaster: the server is killed (SIGKILL, no shutdown) and its data directory wiped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/pg-env.sh"

if [ -r "$PGDATA/postmaster.pid" ]; then
  pid="$(head -n 1 "$PGDATA/postmaster.pid")"
  # The postmaster and its own children (backends, checkpointer...), nothing else.
  kill -KILL "$pid" 2>/dev/null || true
  pkill -KILL -P "$pid" 2>/dev/null || true
fi
rm -rf "$PGDATA"
echo "destroyed: server killed, $PGDATA wiped"
