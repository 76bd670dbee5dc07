#!/usr/bin/env bash
# Removes the drill's run directory, stopping any server still running on it (after an interrupted
# run; faultline stops the service itself at the end of a normal one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/pg-env.sh"
for dir in "$PGDATA" "$DRILL_RUN/data.restoring"; do
  if [ -r "$dir/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$dir" -w -t 30 -m fast stop >/dev/null 2>&1 || true; fi
done
rm -rf "$DRILL_RUN"
