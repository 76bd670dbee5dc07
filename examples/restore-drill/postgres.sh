#!/usr/bin/env bash
# The service faultline supervises: the PostgreSQL server of the drill, on 127.0.0.1:$DRILL_PORT.
# The first start creates the cluster (initdb). After destroy.sh there is no data directory: this
# exits 1 (the supervisor's restart policy tries again) until restore.sh has put one back.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/pg-env.sh"

pg_dir "$DRILL_RUN"
if [ ! -e "$DRILL_RUN/initialised" ]; then
  rm -rf "$PGDATA"
  init_cluster "$PGDATA"
  touch "$DRILL_RUN/initialised"
fi
if [ ! -e "$PGDATA/PG_VERSION" ]; then
  echo "restore-drill: $PGDATA is gone (destroyed); waiting for restore.sh" >&2
  exit 1
fi

# faultline stops a service with SIGTERM to its process group, which is a *smart* shutdown for
# PostgreSQL: it would wait for every client to leave. Turn it into a fast shutdown.
"${AS_PG[@]}" "$PG_BIN/postgres" -D "$PGDATA" &
pg=$!
stopping=0
trap 'stopping=1; kill -INT "$pg" 2>/dev/null || true' TERM INT
status=0
wait "$pg" || status=$?
# A trapped signal interrupts the first wait; the second collects the server's own exit status.
if [ "$stopping" = 1 ]; then
  status=0
  wait "$pg" || status=$?
fi
exit "$status"
